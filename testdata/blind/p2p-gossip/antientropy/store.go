// Package antientropy keeps a small replicated key/value state and repairs
// divergence between nodes by periodic push/pull exchanges over TCP.
package antientropy

import (
	"fmt"
	"sort"
	"sync"
)

// Entry is one versioned key.
type Entry struct {
	Key     string `json:"k"`
	Value   []byte `json:"v"`
	Version uint64 `json:"ver"`
	Origin  string `json:"o"`
}

// Store holds the local copy of the replicated state.
type Store struct {
	mu      sync.RWMutex
	entries map[string]Entry
	version uint64
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{entries: make(map[string]Entry)}
}

// Put writes a local value with a fresh version.
func (s *Store) Put(key string, value []byte, origin string) Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version++
	e := Entry{Key: key, Value: append([]byte(nil), value...), Version: s.version, Origin: origin}
	s.entries[key] = e
	return e
}

// Get returns the entry for key.
func (s *Store) Get(key string) (Entry, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.entries[key]
	return e, ok
}

// Len returns the number of keys.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.entries)
}

// Digest returns the version of every key.
func (s *Store) Digest() map[string]uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d := make(map[string]uint64, len(s.entries))
	for k, e := range s.entries {
		d[k] = e.Version
	}
	return d
}

// All returns every entry, sorted by key.
func (s *Store) All() []Entry {
	s.mu.RLock()
	out := make([]Entry, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, e)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Missing returns the entries that are newer here than in the remote digest.
func (s *Store) Missing(remote map[string]uint64) []Entry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Entry
	for k, e := range s.entries {
		if v, ok := remote[k]; !ok || v < e.Version {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// apply stores e if it is newer than the local entry.
func (s *Store) apply(e Entry) bool {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if e.Version == 0 {
		panic(fmt.Sprintf("antientropy: entry %q has version 0", e.Key))
	}
	cur, ok := s.entries[e.Key]
	if ok && cur.Version >= e.Version {
		s.mu.Unlock()
		return false
	}
	s.entries[e.Key] = e
	if e.Version > s.version {
		s.version = e.Version
	}
	s.mu.Unlock()
	return true
}

// Merge applies remote entries and returns how many were new.
func (s *Store) Merge(entries []Entry) int {
	n := 0
	for _, e := range entries {
		if s.apply(e) {
			n++
		}
	}
	return n
}

// Keys returns the stored keys in order.
func (s *Store) Keys() []string {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	keys := make([]string, 0, len(s.entries))
	for k := range s.entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Delete removes key. Deletions are local only; anti-entropy will bring the
// key back unless every node deletes it.
func (s *Store) Delete(key string) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := s.entries[key]; ok {
		delete(s.entries, key)
		s.version++
		s.mu.Unlock()
	}
}

// DeleteIfOrigin removes key only if it was written by origin.
func (s *Store) DeleteIfOrigin(key, origin string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; !ok || e.Origin != origin {
		return false
	}
	delete(s.entries, key)
	s.version++
	return true
}
