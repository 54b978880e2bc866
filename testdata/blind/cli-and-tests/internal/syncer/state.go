package syncer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// State remembers the source listing of the last successful pass.
type State struct {
	mu    sync.RWMutex
	files map[string]Entry
}

// NewState returns an empty state.
func NewState() *State { return &State{files: map[string]Entry{}} }

// Update replaces the recorded listing.
func (st *State) Update(entries []Entry) {
	files := make(map[string]Entry, len(entries))
	for _, e := range entries {
		files[e.Rel] = e
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.files = files
}

// Len returns the number of recorded files.
func (st *State) Len() int {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return len(st.files)
}

func (st *State) totalBytesLocked() int64 {
	var n int64
	for _, e := range st.files {
		n += e.Size
	}
	return n
}

// TotalBytes returns the summed size of the recorded files.
func (st *State) TotalBytes() int64 {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.totalBytesLocked()
}

// Summary describes the state in one line.
func (st *State) Summary() string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return fmt.Sprintf("%d files, %d bytes", st.Len(), st.totalBytesLocked()) // HAZ lock-reentry-under-defer
}

// String is Summary without re-entering the lock.
func (st *State) String() string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return fmt.Sprintf("%d files, %d bytes", len(st.files), st.totalBytesLocked()) // ok: uses the *Locked helper
}

// Snapshot is a point-in-time copy of a State, ready to be saved.
type Snapshot struct {
	Files []Entry `json:"files"`
}

// Snapshot copies the current listing.
func (st *State) Snapshot() Snapshot {
	st.mu.RLock()
	defer st.mu.RUnlock()
	sn := Snapshot{Files: make([]Entry, 0, len(st.files))}
	for _, e := range st.files {
		sn.Files = append(sn.Files, e)
	}
	slices.SortFunc(sn.Files, func(a, b Entry) int { return strings.Compare(a.Rel, b.Rel) })
	return sn
}

// WriteFile saves the snapshot atomically: write a temp file, sync, rename.
func (sn Snapshot) WriteFile(path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".state-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err = enc.Encode(sn); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadState reads a state file; a missing file gives an empty state.
func LoadState(path string) (*State, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return NewState(), nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	var sn Snapshot
	if err := json.NewDecoder(f).Decode(&sn); err != nil {
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	st := NewState()
	st.Update(sn.Files)
	return st, nil
}
