package config

import (
	"maps"
	"slices"
	"sync"
)

// Store holds the current configuration and tells watchers about changes.
type Store struct {
	mu       sync.RWMutex
	cur      *Config
	version  uint64
	watchers []func(*Config)
}

// NewStore returns a store holding c as version 1.
func NewStore(c *Config) *Store {
	return &Store{cur: c, version: 1}
}

// Current returns the current configuration. Configs are never mutated
// after they are installed, so the caller may keep it.
func (s *Store) Current() *Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur
}

// Version returns the number of installed configurations.
func (s *Store) Version() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}

// Lookup returns the current value of key.
func (s *Store) Lookup(key string) (string, bool) {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	v, ok := s.cur.Values[key]
	return v, ok
}

// OnChange registers fn to run after each Replace, with no lock held.
func (s *Store) OnChange(fn func(*Config)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watchers = append(s.watchers, fn)
}

// Replace installs c and runs the watchers. The watchers are copied under
// the lock and called after it is released, so a watcher may call back
// into the store.
func (s *Store) Replace(c *Config) uint64 {
	s.mu.Lock()
	s.cur = c
	s.version++
	v := s.version
	ws := slices.Clone(s.watchers)
	s.mu.Unlock()
	for _, w := range ws {
		w(c)
	}
	return v
}

// Edit takes the write lock and returns a private copy of the current
// values together with commit, which installs the copy as a new version and
// releases the lock. The caller must call commit exactly once; watchers are
// not notified.
func (s *Store) Edit() (vals map[string]string, commit func()) {
	s.mu.Lock()
	vals = maps.Clone(s.cur.Values)
	return vals, func() {
		next := *s.cur
		next.Values = vals
		s.cur = &next
		s.version++
		s.mu.Unlock()
	}
}
