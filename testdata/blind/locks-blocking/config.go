package blindc

import (
	"context"
	"sync"
)

// Config is the dynamic service configuration.
type Config struct {
	Version  int
	Features map[string]bool
	Limits   map[string]int
}

// ConfigStore holds the current configuration. Reads are counted under a
// separate mutex so that they never need the state write lock.
type ConfigStore struct {
	state struct {
		mu  sync.RWMutex
		cur *Config
		rev int
	}
	statsMu sync.Mutex
	reads   int64
	updates chan *Config // fed by the config watcher
}

// NewConfigStore returns a store holding initial.
func NewConfigStore(initial *Config) *ConfigStore {
	s := &ConfigStore{updates: make(chan *Config, 8)}
	s.state.cur = initial
	return s
}

// Revision returns how many times the config was replaced.
func (s *ConfigStore) Revision() int {
	s.state.mu.RLock()
	defer s.state.mu.RUnlock()
	return s.state.rev
}

// Replace installs c.
func (s *ConfigStore) Replace(c *Config) {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	s.replaceLocked(c)
}

func (s *ConfigStore) replaceLocked(c *Config) {
	s.state.cur = c
	s.state.rev++
}

// Current returns the active configuration.
func (s *ConfigStore) Current() *Config {
	s.state.mu.RLock()
	defer s.state.mu.Unlock() // HAZ defer-lock-mismatch
	return s.state.cur
}

// Feature reports whether a feature flag is on and counts the read.
func (s *ConfigStore) Feature(name string) bool {
	s.state.mu.RLock()
	defer s.state.mu.RUnlock() // ok: read lock on state.mu
	s.statsMu.Lock()
	defer s.statsMu.Unlock() // ok: write lock on a different mutex
	s.reads++
	return s.state.cur != nil && s.state.cur.Features[name]
}

// ApplyPending installs one queued update, if any, and returns the revision.
func (s *ConfigStore) ApplyPending(ctx context.Context) (int, error) {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	select {
	case <-ctx.Done():
		return s.state.rev, ctx.Err()
	case c := <-s.updates:
		s.Replace(c) // HAZ lock-reentry-under-defer
		return s.state.rev, nil
	default:
		return s.state.rev, nil
	}
}

// ApplyPendingLocked is ApplyPending using the Locked helper.
func (s *ConfigStore) ApplyPendingLocked(ctx context.Context) (int, error) {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	select {
	case <-ctx.Done():
		return s.state.rev, ctx.Err()
	case c := <-s.updates:
		s.replaceLocked(c) // ok
		return s.state.rev, nil
	default:
		return s.state.rev, nil
	}
}
