// Package snapshot persists point-in-time copies of the lease and lock
// tables so that the write-ahead log can be compacted.
package snapshot

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/leaselock/internal/metrics"
)

// ErrNoSnapshot is returned by Latest when the directory holds none.
var ErrNoSnapshot = errors.New("snapshot: none found")

// LeaseState is the persisted form of one lease.
type LeaseState struct {
	ID        int64     `json:"id"`
	TTLMillis int64     `json:"ttl_ms"`
	ExpiresAt time.Time `json:"expires_at"`
	Keys      []string  `json:"keys,omitempty"`
}

// LockState is the persisted form of one held lock.
type LockState struct {
	Key   string `json:"key"`
	Lease int64  `json:"lease"`
}

// State is a full snapshot, valid as of log index Index.
type State struct {
	Index  uint64       `json:"index"`
	Taken  time.Time    `json:"taken"`
	Leases []LeaseState `json:"leases"`
	Locks  []LockState  `json:"locks"`
}

// Snapshotter writes and reads snapshot files in one directory.
type Snapshotter struct {
	mu   sync.Mutex // serialises Save and Prune
	dir  string
	keep int
	pins atomic.Int64 // readers in progress; Prune waits for zero
}

// New returns a Snapshotter for dir that keeps the newest keep files.
func New(dir string, keep int) (*Snapshotter, error) {
	if keep < 1 {
		keep = 1
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Snapshotter{dir: dir, keep: keep}, nil
}

func fileName(index uint64) string {
	return fmt.Sprintf("snap-%020d.json", index)
}

// Save writes st atomically: temp file, fsync, rename, fsync of the
// directory.
func (s *Snapshotter) Save(st *State) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tmp, err := os.CreateTemp(s.dir, "snap-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := json.NewEncoder(tmp).Encode(st); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.dir, fileName(st.Index))); err != nil {
		return err
	}
	return syncDir(s.dir)
}

// SaveCopy writes st to an arbitrary path outside the snapshot directory
// (used by `leasectl backup`).
func SaveCopy(st *State, path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err = json.NewEncoder(f).Encode(st); err != nil {
		return err
	}
	return f.Sync()
}

// Archive writes st gzip-compressed to path.
func Archive(st *State, path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return json.NewEncoder(zw).Encode(st)
}

// list returns the snapshot file names, oldest first.
func (s *Snapshotter) list() ([]string, error) {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, "snap-") && strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names, nil
}

// Latest loads the newest snapshot.
func (s *Snapshotter) Latest() (*State, error) {
	names, err := s.list()
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, ErrNoSnapshot
	}
	f, err := os.Open(filepath.Join(s.dir, names[len(names)-1]))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var st State
	if err := json.NewDecoder(f).Decode(&st); err != nil {
		return nil, fmt.Errorf("snapshot: %s: %w", names[len(names)-1], err)
	}
	return &st, nil
}

// Prune removes all but the newest s.keep snapshots and any temp file left
// by a crash during Save.
func (s *Snapshotter) Prune() (int, error) {
	defer metrics.Trace("snapshot_prune") // HAZ defer-func-result-not-called
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pins.Load() > 0 {
		return 0, nil // a reader is copying a snapshot out
	}
	names, err := s.list()
	if err != nil {
		return 0, err
	}
	stale, _ := filepath.Glob(filepath.Join(s.dir, "snap-*.tmp"))
	if len(names) > s.keep {
		for _, n := range names[:len(names)-s.keep] {
			stale = append(stale, filepath.Join(s.dir, n))
		}
	}
	removed := 0
	for _, p := range stale {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
