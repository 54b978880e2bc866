package registry

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Snapshot is a point-in-time copy of the registry.
type Snapshot struct {
	Taken    time.Time             `json:"taken"`
	Services map[string][]Instance `json:"services"`
}

// TakeSnapshot copies the registry under its read lock.
func (r *Registry) TakeSnapshot() Snapshot {
	r.mu.RLock()
	defer r.mu.RUnlock()
	snap := Snapshot{Taken: r.now(), Services: make(map[string][]Instance)}
	for _, name := range r.Services() { // HAZ lock-reentry-under-defer
		snap.Services[name] = r.lookupLocked(name)
	}
	return snap
}

// Restore loads a snapshot; restored instances get a full TTL to heartbeat.
func (r *Registry) Restore(s Snapshot) int {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for name, insts := range s.Services {
		byID := r.services[name]
		if byID == nil {
			byID = make(map[string]*Instance)
			r.services[name] = byID
		}
		for _, inst := range insts {
			inst.LastSeen = now
			byID[inst.ID] = &inst
			n++
		}
	}
	return n
}

// SaveSnapshot writes s atomically: temp file, fsync, rename.
func SaveSnapshot(path string, s Snapshot) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".snapshot-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if err = json.NewEncoder(tmp).Encode(s); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadSnapshot reads a snapshot file.
func LoadSnapshot(path string) (Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return Snapshot{}, err
	}
	defer f.Close()
	var s Snapshot
	if err := json.NewDecoder(f).Decode(&s); err != nil {
		return Snapshot{}, fmt.Errorf("decode %s: %w", path, err)
	}
	return s, nil
}

// LoadSnapshots merges several snapshot files (one per zone).
func LoadSnapshots(paths []string) (Snapshot, error) {
	merged := Snapshot{Services: make(map[string][]Instance)}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return Snapshot{}, err
		}
		defer f.Close() // HAZ defer-in-loop
		var s Snapshot
		if err := json.NewDecoder(f).Decode(&s); err != nil {
			return Snapshot{}, fmt.Errorf("decode %s: %w", p, err)
		}
		if s.Taken.After(merged.Taken) {
			merged.Taken = s.Taken
		}
		for name, insts := range s.Services {
			merged.Services[name] = append(merged.Services[name], insts...)
		}
	}
	return merged, nil
}

// LoadSnapshotDir loads every *.json snapshot in dir, newest first. The
// files are opened and closed one at a time by LoadSnapshot.
func LoadSnapshotDir(dir string) ([]Snapshot, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	out := make([]Snapshot, 0, len(paths))
	for _, p := range paths {
		s, err := LoadSnapshot(p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Taken.After(out[j].Taken) })
	return out, nil
}

// WriteSnapshotGzip compresses s into w and reports the close error, which
// is where the gzip trailer is written.
func WriteSnapshotGzip(w io.Writer, s Snapshot) error {
	zw := gzip.NewWriter(w)
	if err := json.NewEncoder(zw).Encode(s); err != nil {
		zw.Close()
		return err
	}
	return zw.Close()
}

// ExportSnapshotFile writes a human-readable snapshot for operators.
func ExportSnapshotFile(path string, s Snapshot) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// ExportSnapshotGzipFile writes a compressed snapshot. The gzip writer is
// closed before the file (LIFO) and both errors are returned.
func ExportSnapshotGzipFile(path string, s Snapshot) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return json.NewEncoder(zw).Encode(s)
}

// OpenSnapshotStream returns the compressed snapshot as a stream produced
// on the fly, for replication to a new replica.
func (r *Registry) OpenSnapshotStream() io.ReadCloser {
	pr, pw := io.Pipe()
	snap := r.TakeSnapshot()
	go func() {
		pw.CloseWithError(writeCompressed(pw, snap))
	}()
	return pr
}

func writeCompressed(pw *io.PipeWriter, snap Snapshot) (err error) {
	zw := gzip.NewWriter(pw)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer pw.Close()
	return json.NewEncoder(zw).Encode(snap)
}
