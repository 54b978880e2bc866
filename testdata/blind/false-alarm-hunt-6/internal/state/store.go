// Package state keeps the small persistent state of the daemons (last run
// times, cursors, checksums) in memory and in a JSON file.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Store is a concurrency-safe key/value map persisted as JSON.
type Store struct {
	mu    sync.RWMutex
	data  map[string]string
	dirty bool
	path  string
}

// Open loads the store at path; a missing file yields an empty store.
func Open(path string) (*Store, error) {
	s := &Store{data: make(map[string]string), path: path}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &s.data); err != nil {
		return nil, fmt.Errorf("state: %s: %w", path, err)
	}
	return s, nil
}

// Get returns the value of k.
func (s *Store) Get(k string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[k]
	return v, ok
}

// Set stores v under k.
func (s *Store) Set(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setLocked(k, v)
}

// setLocked requires s.mu held for writing.
func (s *Store) setLocked(k, v string) {
	if s.data[k] == v {
		return
	}
	s.data[k] = v
	s.dirty = true
}

// SetIfAbsent stores v unless k already has a value and reports whether it
// stored.
func (s *Store) SetIfAbsent(k, v string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.Get(k); ok { // HAZ lock-reentry-under-defer
		return false
	}
	s.setLocked(k, v)
	return true
}

// CompareAndSwap replaces old with new under a single write lock, using the
// lock-free helper.
func (s *Store) CompareAndSwap(k, old, new string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.data[k] != old {
		return false
	}
	s.setLocked(k, new)
	return true
}

// Delete removes k.
func (s *Store) Delete(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.data[k]; ok {
		delete(s.data, k)
		s.dirty = true
	}
}

// Keys lists the keys in order.
func (s *Store) Keys() []string {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	keys := make([]string, 0, len(s.data))
	for k := range s.data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Len returns the number of entries.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.data)
}

// Snapshot copies the map under the read lock.
func (s *Store) Snapshot() map[string]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]string, len(s.data))
	for k, v := range s.data {
		out[k] = v
	}
	return out
}

// Time returns the timestamp stored under k.
func (s *Store) Time(k string) (time.Time, bool) {
	v, ok := s.Get(k)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t, err == nil
}

// SetTime stores t under k.
func (s *Store) SetTime(k string, t time.Time) {
	s.Set(k, t.UTC().Format(time.RFC3339Nano))
}

// Save writes the store if it changed. The map is copied under the read
// lock, the file is written with no lock held, and the dirty flag is cleared
// under the write lock.
func (s *Store) Save() error {
	s.mu.RLock()
	if !s.dirty {
		s.mu.RUnlock()
		return nil
	}
	raw, err := json.MarshalIndent(s.data, "", "  ")
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	if err := writeFileSync(s.path, raw); err != nil {
		return err
	}
	s.mu.Lock()
	s.dirty = false
	s.mu.Unlock()
	return nil
}

// writeFileSync writes data to a temp file, syncs, closes and renames it.
func writeFileSync(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".state-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Merge copies every entry of other into s. The two stores have different
// mutexes; other is snapshotted before s is locked.
func (s *Store) Merge(other *Store) int {
	src := other.Snapshot()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, v := range src {
		if s.data[k] != v {
			s.setLocked(k, v)
			n++
		}
	}
	return n
}

// Update applies fn to the value of k under the write lock.
func (s *Store) Update(k string, fn func(old string, ok bool) string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.data[k]
	s.setLocked(k, fn(old, ok))
}
