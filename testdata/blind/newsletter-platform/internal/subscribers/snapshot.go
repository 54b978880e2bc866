package subscribers

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const snapshotVersion = 2

type snapshotFile struct {
	Version int                     `json:"version"`
	Taken   time.Time               `json:"taken"`
	Lists   map[string][]Subscriber `json:"lists"`
}

// WriteSnapshot persists the store atomically: the JSON goes to a temp file
// in the destination directory, is fsynced and closed, and only then renamed
// over path.
func WriteSnapshot(path string, st *Store) (err error) {
	snap := snapshotFile{Version: snapshotVersion, Taken: time.Now().UTC(), Lists: st.snapshotData()}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".subscribers-*.json")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	defer tmp.Close()
	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err = enc.Encode(snap); err != nil {
		return fmt.Errorf("encode snapshot: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if prev, statErr := os.Stat(path); statErr == nil && prev.Mode().IsRegular() {
		if err = os.Rename(path, path+".prev"); err != nil {
			return err
		}
	}
	return os.Rename(tmp.Name(), path)
}

// LoadSnapshot reads a snapshot written by WriteSnapshot into st.
func LoadSnapshot(path string, st *Store) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var snap snapshotFile
	if err := json.NewDecoder(f).Decode(&snap); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	if snap.Version > snapshotVersion {
		return fmt.Errorf("snapshot %s has version %d, newer than %d", path, snap.Version, snapshotVersion)
	}
	st.restore(snap.Lists)
	return nil
}

// LoadLatest loads path, falling back to the previous generation written by
// WriteSnapshot when the newest file is truncated or corrupt.
func LoadLatest(path string, st *Store) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	var snap snapshotFile
	if err := json.NewDecoder(f).Decode(&snap); err != nil {
		log.Printf("snapshot %s unreadable (%v), trying previous generation", path, err)
		f, err = os.Open(path + ".prev")
		if err != nil {
			return fmt.Errorf("no usable snapshot: %w", err)
		}
		snap = snapshotFile{}
		if err := json.NewDecoder(f).Decode(&snap); err != nil {
			return fmt.Errorf("decode %s.prev: %w", path, err)
		}
	}
	st.restore(snap.Lists)
	return nil
}

// DumpList writes one subscriber per line as JSON, for support tickets.
func DumpList(path string, subs []Subscriber) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, sub := range subs {
		if err := enc.Encode(sub); err != nil {
			return fmt.Errorf("dump %s: %w", sub.Email, err)
		}
	}
	return nil
}

// PruneSnapshots removes old timestamped snapshot copies in dir, keeping the
// newest keep files.
func PruneSnapshots(dir string, keep int) (removed int, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), "subscribers-") && strings.HasSuffix(e.Name(), ".json") {
			names = append(names, e.Name())
		}
	}
	if len(names) <= keep {
		return 0, nil
	}
	sort.Strings(names)
	for _, name := range names[:len(names)-keep] {
		if rmErr := os.Remove(filepath.Join(dir, name)); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			err = errors.Join(err, rmErr)
			continue
		}
		removed++
	}
	return removed, err
}

// Snapshotter writes the store to disk whenever it changed, on a fixed tick.
type Snapshotter struct {
	store    *Store
	path     string
	interval time.Duration
	logger   *log.Logger
}

// NewSnapshotter returns a Snapshotter for st writing to path.
func NewSnapshotter(st *Store, path string, interval time.Duration, logger *log.Logger) *Snapshotter {
	return &Snapshotter{store: st, path: path, interval: interval, logger: logger}
}

// Run snapshots until ctx is cancelled, then writes a final snapshot if the
// store is dirty.
func (s *Snapshotter) Run(ctx context.Context) error {
	ticker := time.NewTicker(s.interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			if s.store.takeDirty() {
				return WriteSnapshot(s.path, s.store)
			}
			return nil
		case <-ticker.C:
			if !s.store.takeDirty() {
				continue
			}
			if err := WriteSnapshot(s.path, s.store); err != nil {
				s.logger.Printf("snapshot %s: %v", s.path, err)
				s.store.markDirty()
			}
		}
	}
}

// LoadCompressed reads a snapshot that was gzip-compressed for off-site
// backup. Uncompressed files are accepted too.
func LoadCompressed(path string, st *Store) (err error) {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var snap snapshotFile
	if zr, err := gzip.NewReader(f); err == nil {
		defer func() { // HAZ defer-ineffective-return
			if cerr := zr.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}()
		if err := json.NewDecoder(zr).Decode(&snap); err != nil {
			return fmt.Errorf("decode %s: %w", path, err)
		}
		st.restore(snap.Lists)
		return nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := json.NewDecoder(f).Decode(&snap); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	st.restore(snap.Lists)
	return nil
}
