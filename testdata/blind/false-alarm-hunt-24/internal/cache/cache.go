// Package cache keeps rendered outputs and downloaded schemas in memory,
// keyed by name, so unchanged inputs are not regenerated.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"iter"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Entry is one cached document.
type Entry struct {
	Sum  string    `json:"sum"`
	Data []byte    `json:"data"`
	Used time.Time `json:"used"`
}

// Store is a size-bounded map of entries, safe for concurrent use.
type Store struct {
	mu      sync.RWMutex
	entries map[string]*Entry
	max     int

	hits, misses atomic.Int64
}

// New returns an empty store holding at most max entries.
func New(max int) *Store {
	if max <= 0 {
		max = 256
	}
	return &Store{entries: make(map[string]*Entry), max: max}
}

// Get returns the data cached under key.
func (s *Store) Get(key string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.entries[key]
	if !ok {
		s.misses.Add(1)
		return nil, false
	}
	s.hits.Add(1)
	return e.Data, true
}

// Sum returns the checksum recorded for key.
func (s *Store) Sum(key string) (string, bool) {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := s.entries[key]
	if !ok {
		return "", false
	}
	return e.Sum, true
}

// Put stores data under key and evicts the least recently used entries
// beyond the size bound.
func (s *Store) Put(key string, data []byte) {
	sum := sha256.Sum256(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[key] = &Entry{Sum: hex.EncodeToString(sum[:]), Data: data, Used: time.Now()}
	s.evictLocked()
}

// evictLocked drops the oldest entries until the bound holds. s.mu must be held.
func (s *Store) evictLocked() {
	for len(s.entries) > s.max {
		var oldest string
		var at time.Time
		for k, e := range s.entries {
			if oldest == "" || e.Used.Before(at) {
				oldest, at = k, e.Used
			}
		}
		delete(s.entries, oldest)
	}
}

// Refresh replaces the data of an existing key and re-applies the bound.
func (s *Store) Refresh(key string, data []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok {
		return false
	}
	sum := sha256.Sum256(data)
	e.Data, e.Sum, e.Used = data, hex.EncodeToString(sum[:]), time.Now()
	if s.Len() > s.max { // HAZ lock-reentry-under-defer
		s.evictLocked()
	}
	return true
}

// Touch marks key as recently used so eviction keeps it.
func (s *Store) Touch(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if ok {
		e.Used = time.Now()
	}
	if len(s.entries) > s.max {
		s.evictLocked()
	}
	return ok
}

// Len reports the number of entries.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.entries)
}

// Invalidate drops key and reports whether it was cached.
func (s *Store) Invalidate(key string) bool {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := s.entries[key]; !ok {
		return false
	}
	delete(s.entries, key)
	s.mu.Unlock()
	return true
}

// Delete drops key and reports whether it was cached.
func (s *Store) Delete(key string) bool {
	s.mu.Lock()
	_, ok := s.entries[key]
	if ok {
		delete(s.entries, key)
	}
	s.mu.Unlock()
	return ok
}

// Take removes key and returns its data.
func (s *Store) Take(key string) ([]byte, bool) {
	s.mu.Lock()
	e, ok := s.entries[key]
	if !ok {
		s.mu.Unlock()
		return nil, false
	}
	delete(s.entries, key)
	s.mu.Unlock()
	return e.Data, true
}

// Keys returns the cached keys, sorted. The lock covers only the copy.
func (s *Store) Keys() []string {
	s.mu.RLock()
	keys := slices.Collect(maps.Keys(s.entries))
	s.mu.RUnlock()
	slices.Sort(keys)
	return keys
}

// All yields a consistent snapshot of the store in key order. The lock is
// released before the loop body runs, so the body may call back into s.
func (s *Store) All() iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		s.mu.RLock()
		snap := make(map[string][]byte, len(s.entries))
		for k, e := range s.entries {
			snap[k] = e.Data
		}
		s.mu.RUnlock()
		for _, k := range slices.Sorted(maps.Keys(snap)) {
			if !yield(k, snap[k]) {
				return
			}
		}
	}
}

// PutMany stores every item, taking the lock once per item so readers are
// not starved during large imports.
func (s *Store) PutMany(items map[string][]byte) {
	for k, data := range items {
		sum := sha256.Sum256(data)
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.entries[k] = &Entry{Sum: hex.EncodeToString(sum[:]), Data: data, Used: time.Now()}
		}()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.evictLocked()
}

// GetOrLoad returns the cached data for key, calling load on a miss. The
// lock is held across load so concurrent callers load once; it is released
// on every path, including a panic in load.
func (s *Store) GetOrLoad(key string, load func() ([]byte, error)) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok {
		e.Used = time.Now()
		return e.Data, nil
	}
	data, err := load()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	s.entries[key] = &Entry{Sum: hex.EncodeToString(sum[:]), Data: data, Used: time.Now()}
	s.evictLocked()
	return data, nil
}

// Stats summarises the store.
type Stats struct {
	Entries, Bytes int
	Hits, Misses   int64
}

// Stats reports entry count, payload size and hit ratio inputs.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := Stats{Entries: len(s.entries), Hits: s.hits.Load(), Misses: s.misses.Load()}
	for _, e := range s.entries {
		st.Bytes += len(e.Data)
	}
	return st
}
