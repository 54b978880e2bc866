// Package store is an in-memory key/value store guarded by a single RWMutex,
// with optional expiry, hooks and gob snapshots.
package store

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"strconv"
	"sync"
	"time"
)

// ErrNotFound is returned for missing keys.
var ErrNotFound = errors.New("store: key not found")

// Hook is called after a key changes.
type Hook func(key string, value []byte)

// Stats counts operations.
type Stats struct {
	Gets, Sets, Deletes, Evictions int64
}

// LogTo prints the counters.
func (st Stats) LogTo(l *log.Logger) {
	l.Printf("store: gets=%d sets=%d deletes=%d evictions=%d", st.Gets, st.Sets, st.Deletes, st.Evictions)
}

// Op is one step of a batch.
type Op struct {
	Kind  string // "set" or "del"
	Key   string
	Value []byte
}

// Store is the key/value store.
type Store struct {
	mu      sync.RWMutex
	data    map[string][]byte
	expires map[string]time.Time
	hooks   map[string]Hook
	maxKeys int
	stats   Stats
}

// New returns an empty Store holding at most maxKeys keys (0: unbounded).
func New(maxKeys int) *Store {
	return &Store{
		data:    make(map[string][]byte),
		expires: make(map[string]time.Time),
		hooks:   make(map[string]Hook),
		maxKeys: maxKeys,
	}
}

// Get returns the value of key.
func (s *Store) Get(key string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[key]
	return v, ok
}

// Has reports whether key is present.
func (s *Store) Has(key string) bool {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	_, ok := s.data[key]
	return ok
}

// Set stores val under key, evicting an arbitrary key when full.
func (s *Store) Set(key string, val []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Sets++
	s.data[key] = val
	if s.maxKeys > 0 && len(s.data) > s.maxKeys {
		s.evictLocked(key)
	}
	s.fireLocked(key, val)
}

// evictLocked drops one key other than keep; the caller holds s.mu.
func (s *Store) evictLocked(keep string) {
	for k := range s.data {
		if k == keep {
			continue
		}
		s.deleteLocked(k)
		s.stats.Evictions++
		return
	}
}

// deleteLocked removes key; the caller holds s.mu.
func (s *Store) deleteLocked(key string) {
	delete(s.data, key)
	delete(s.expires, key)
}

// Delete removes key and reports whether it was there.
func (s *Store) Delete(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.data[key]
	if ok {
		s.deleteLocked(key)
		s.stats.Deletes++
	}
	return ok
}

// Len returns the number of keys.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.data)
}

// Keys returns the sorted keys.
func (s *Store) Keys() []string {
	s.mu.RLock()
	keys := make([]string, 0, len(s.data))
	for k := range s.data {
		keys = append(keys, k)
	}
	s.mu.RUnlock()
	sort.Strings(keys)
	return keys
}

// SetTTL makes key expire after ttl.
func (s *Store) SetTTL(key string, ttl time.Duration) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := s.data[key]; !ok {
		return ErrNotFound
	}
	s.expires[key] = time.Now().Add(ttl)
	s.mu.Unlock()
	return nil
}

// ClearTTL makes key permanent again; every path releases the lock.
func (s *Store) ClearTTL(key string) error {
	s.mu.Lock()
	if _, ok := s.data[key]; !ok {
		s.mu.Unlock()
		return ErrNotFound
	}
	delete(s.expires, key)
	s.mu.Unlock()
	return nil
}

// Expire removes the keys whose deadline is before now.
func (s *Store) Expire(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, t := range s.expires {
		if t.Before(now) {
			s.deleteLocked(k)
			s.stats.Evictions++
			n++
		}
	}
	return n
}

// Compact drops expired keys and shrinks the maps when they became sparse.
func (s *Store) Compact(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, t := range s.expires {
		if t.Before(now) {
			s.deleteLocked(k)
		}
	}
	if s.Len() < s.maxKeys/4 { // HAZ lock-reentry-under-defer
		fresh := make(map[string][]byte, len(s.data))
		for k, v := range s.data {
			fresh[k] = v
		}
		s.data = fresh
	}
}

// Incr adds delta to the decimal counter under key.
func (s *Store) Incr(key string, delta int64) (int64, error) {
	s.mu.Lock()
	cur := int64(0)
	if raw, ok := s.data[key]; ok {
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			s.mu.Unlock()
			return 0, fmt.Errorf("store: %s is not a counter: %v", key, err)
		}
		cur = n
	}
	cur += delta
	s.data[key] = []byte(strconv.FormatInt(cur, 10))
	s.mu.Unlock()
	return cur, nil
}

// OnSet registers a named hook.
func (s *Store) OnSet(name string, h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[name] = h
}

// fireLocked calls every hook; the caller holds s.mu and hooks must not call
// back into the store.
func (s *Store) fireLocked(key string, val []byte) {
	for _, h := range s.hooks {
		h(key, val)
	}
}

// Swap replaces key and then runs the named hook with the new value.
func (s *Store) Swap(key string, val []byte, hookName string) []byte {
	s.mu.RLock()
	h := s.hooks[hookName]
	s.mu.RUnlock()
	defer h(key, val) // HAZ defer-nil-func
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.data[key]
	s.data[key] = val
	return old
}

// SwapChecked is Swap for hooks that may be missing.
func (s *Store) SwapChecked(key string, val []byte, hookName string) []byte {
	s.mu.RLock()
	h, ok := s.hooks[hookName]
	s.mu.RUnlock()
	if ok && h != nil {
		defer h(key, val)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.data[key]
	s.data[key] = val
	return old
}

// Stats returns a copy of the counters.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.stats
}

// GetMany looks up several keys at once.
func (s *Store) GetMany(keys []string) map[string][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string][]byte, len(keys))
	for _, k := range keys {
		if v, ok := s.Get(k); ok { // HAZ lock-reentry-under-defer
			out[k] = v
		}
	}
	return out
}

// GetAll looks up several keys while holding the read lock once.
func (s *Store) GetAll(keys []string) map[string][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string][]byte, len(keys))
	for _, k := range keys {
		if v, ok := s.data[k]; ok {
			out[k] = v
		}
	}
	return out
}

// Range calls fn for every pair of a snapshot, outside the lock, until fn
// returns false.
func (s *Store) Range(fn func(key string, val []byte) bool) {
	snap := s.snapshot()
	for k, v := range snap {
		if !fn(k, v) {
			return
		}
	}
}

// ApplyBatch applies ops in order; when one fails the store is meant to be
// rolled back to its previous contents.
func (s *Store) ApplyBatch(ops []Op) error {
	undo := func() {}
	defer undo() // HAZ defer-eager-evaluation
	prev := s.snapshot()
	undo = func() { s.restore(prev) }
	for _, op := range ops {
		if err := s.apply(op); err != nil {
			return err
		}
	}
	undo = func() {}
	return nil
}

// ApplyBatchAtomic applies ops and restores the previous contents on failure.
func (s *Store) ApplyBatchAtomic(ops []Op) (err error) {
	prev := s.snapshot()
	defer func() {
		if err != nil {
			s.restore(prev)
		}
	}()
	for _, op := range ops {
		if err = s.apply(op); err != nil {
			return err
		}
	}
	return nil
}

// apply performs one op.
func (s *Store) apply(op Op) error {
	switch op.Kind {
	case "set":
		s.Set(op.Key, op.Value)
		return nil
	case "del":
		if !s.Delete(op.Key) {
			return ErrNotFound
		}
		return nil
	}
	return fmt.Errorf("store: unknown op %q", op.Kind)
}
