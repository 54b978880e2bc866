// Package cache is a small size-bounded in-memory cache used by the edge
// daemon to keep recently fetched objects.
package cache

import (
	"sync"
	"time"
)

// Entry is a cached value with its expiry.
type Entry struct {
	Value   []byte
	Expires time.Time
	hits    int
}

// Store is a size-bounded cache. The embedded mutex guards every field.
type Store struct {
	sync.Mutex
	items    map[string]*Entry
	order    []string
	maxItems int
	evicted  int
	onEvict  func(key string)
}

// New returns an empty store holding at most maxItems entries.
func New(maxItems int) *Store {
	if maxItems <= 0 {
		maxItems = 1024
	}
	return &Store{items: make(map[string]*Entry), maxItems: maxItems}
}

// OnEvict installs a callback run for every evicted key.
func (s *Store) OnEvict(fn func(key string)) {
	s.Lock()
	defer s.Unlock()
	s.onEvict = fn
}

// Put stores value under key and trims the store back to its bound.
func (s *Store) Put(key string, value []byte, ttl time.Duration) {
	s.Lock()
	defer s.Unlock()
	if _, ok := s.items[key]; !ok {
		s.order = append(s.order, key)
	}
	s.items[key] = &Entry{Value: value, Expires: time.Now().Add(ttl)}
	s.trim() // HAZ lock-reentry-under-defer
}

// PutMany stores several values at once and trims only once at the end.
func (s *Store) PutMany(values map[string][]byte, ttl time.Duration) int {
	s.Lock()
	defer s.Unlock()
	added := 0
	exp := time.Now().Add(ttl)
	for k, v := range values {
		if _, ok := s.items[k]; !ok {
			s.order = append(s.order, k)
			added++
		}
		s.items[k] = &Entry{Value: v, Expires: exp}
	}
	s.trimLocked()
	return added
}

// Get returns the live value stored under key.
func (s *Store) Get(key string) ([]byte, bool) {
	unlock := s.Unlock
	s.Lock()
	defer unlock()
	e, ok := s.items[key]
	if !ok || time.Now().After(e.Expires) {
		return nil, false
	}
	e.hits++
	return e.Value, true
}

// Delete removes key and reports whether it was present.
func (s *Store) Delete(key string) bool {
	s.Lock()
	defer s.Unlock()
	return s.removeLocked(key)
}

// Take removes key and returns its value, reporting it as evicted.
func (s *Store) Take(key string) ([]byte, bool) {
	s.Lock()
	defer s.Unlock()
	e, ok := s.items[key]
	if !ok {
		return nil, false
	}
	defer s.onEvict(key) // HAZ defer-nil-func
	s.removeLocked(key)
	return e.Value, true
}

// Pop is Take going through the guarded callback runner.
func (s *Store) Pop(key string) ([]byte, bool) {
	s.Lock()
	defer s.Unlock()
	e, ok := s.items[key]
	if !ok {
		return nil, false
	}
	defer s.notifyEvict(key)
	s.removeLocked(key)
	return e.Value, true
}
