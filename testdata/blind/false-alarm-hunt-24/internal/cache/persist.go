package cache

import (
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"slices"

	"example.com/fah24/internal/fsutil"
)

// Snapshot is a point-in-time copy of a store.
type Snapshot struct {
	Entries map[string]Entry `json:"entries"`
}

// Snapshot copies the current entries.
func (s *Store) Snapshot() *Snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	snap := &Snapshot{Entries: make(map[string]Entry, len(s.entries))}
	for k, e := range s.entries {
		snap.Entries[k] = *e
	}
	return snap
}

// Persist writes the snapshot to path as JSON, atomically.
func (sn *Snapshot) Persist(path string) error {
	data, err := json.MarshalIndent(sn, "", "  ")
	if err != nil {
		return err
	}
	return fsutil.WriteFile(path, data, 0o644)
}

// Load returns a store filled from a snapshot written by Persist. A missing
// file yields an empty store.
func Load(path string, max int) (*Store, error) {
	s := New(max)
	var snap Snapshot
	err := fsutil.ReadJSON(path, &snap)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return nil, err
	}
	for k, e := range snap.Entries {
		s.entries[k] = &e
	}
	s.evictLocked()
	return s, nil
}

// MergeFrom copies the entries of other that s does not have. other is read
// through a snapshot taken before s is locked, so the two stores' locks are
// never held together.
func (s *Store) MergeFrom(other *Store) int {
	if other == s {
		return 0
	}
	snap := other.Snapshot()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, k := range sortedKeys(snap.Entries) {
		if _, ok := s.entries[k]; ok {
			continue
		}
		e := snap.Entries[k]
		s.entries[k] = &e
		n++
	}
	s.evictLocked()
	return n
}

func sortedKeys(m map[string]Entry) []string {
	return slices.Sorted(maps.Keys(m))
}

// ImportAll stores entries exported by another tool, replacing existing
// keys.
func (s *Store) ImportAll(items map[string]Entry) {
	for k, e := range items {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		s.entries[k] = &e
	}
}
