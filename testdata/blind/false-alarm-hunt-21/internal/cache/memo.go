// Package cache memoises expensive lookups made by the generators, such as
// `go list` output and rendered templates.
package cache

import (
	"sync"
	"time"
)

type entry[V any] struct {
	val     V
	expires time.Time
}

// Memo caches the results of load for ttl. It is safe for concurrent use;
// concurrent misses on one key may both call load.
type Memo[K comparable, V any] struct {
	mu    sync.Mutex
	items map[K]entry[V]
	load  func(K) (V, error)
	ttl   time.Duration
	now   func() time.Time
}

// NewMemo returns a Memo that calls load on a miss.
func NewMemo[K comparable, V any](ttl time.Duration, load func(K) (V, error)) *Memo[K, V] {
	return &Memo[K, V]{
		items: make(map[K]entry[V]),
		load:  load,
		ttl:   ttl,
		now:   time.Now,
	}
}

// Get returns the cached value for k, calling load on a miss. The lock is
// not held while load runs.
func (m *Memo[K, V]) Get(k K) (V, error) {
	m.mu.Lock()
	if e, ok := m.items[k]; ok && m.now().Before(e.expires) {
		m.mu.Unlock()
		return e.val, nil
	}
	m.mu.Unlock()

	v, err := m.load(k)
	if err != nil {
		var zero V
		return zero, err
	}
	m.mu.Lock()
	m.setLocked(k, v)
	m.mu.Unlock()
	return v, nil
}

// Peek returns the cached value for k without loading it. Expired entries
// are dropped.
func (m *Memo[K, V]) Peek(k K) (V, bool) {
	m.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := m.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	if m.now().After(e.expires) {
		delete(m.items, k)
		m.mu.Unlock()
		var zero V
		return zero, false
	}
	m.mu.Unlock()
	return e.val, true
}

// Set stores v for k, replacing any cached value.
func (m *Memo[K, V]) Set(k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.setLocked(k, v)
}

// setLocked stores v; the caller holds m.mu.
func (m *Memo[K, V]) setLocked(k K, v V) {
	m.items[k] = entry[V]{val: v, expires: m.now().Add(m.ttl)}
}

// Forget drops the given keys and returns how many were cached.
func (m *Memo[K, V]) Forget(keys ...K) int {
	n := 0
	for _, k := range keys {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-loop
		if _, ok := m.items[k]; ok {
			delete(m.items, k)
			n++
		}
	}
	return n
}

// ForgetFunc drops every key for which match reports true, under a single
// acquisition of the lock.
func (m *Memo[K, V]) ForgetFunc(match func(K) bool) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for k := range m.items {
		if match(k) {
			delete(m.items, k)
			n++
		}
	}
	return n
}

// Purge drops expired entries and returns how many were removed.
func (m *Memo[K, V]) Purge() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	n := 0
	for k, e := range m.items {
		if now.After(e.expires) {
			delete(m.items, k)
			n++
		}
	}
	return n
}

// Len returns the number of cached entries, expired or not.
func (m *Memo[K, V]) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}

// reload calls load for k and caches the fresh value.
func (m *Memo[K, V]) reload(k K) (V, error) {
	v, err := m.load(k)
	if err != nil {
		var zero V
		return zero, err
	}
	m.Set(k, v)
	return v, nil
}

// Refresh reloads every cached key, e.g. after `go mod tidy` changed the
// module graph.
func (m *Memo[K, V]) Refresh() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.items {
		if _, err := m.reload(k); err != nil { // HAZ lock-reentry-under-defer
			return err
		}
	}
	return nil
}

// RefreshAll reloads every cached key. The keys are copied under the lock,
// and the loads run without it.
func (m *Memo[K, V]) RefreshAll() error {
	m.mu.Lock()
	keys := make([]K, 0, len(m.items))
	for k := range m.items {
		keys = append(keys, k)
	}
	m.mu.Unlock()
	for _, k := range keys {
		if _, err := m.reload(k); err != nil {
			return err
		}
	}
	return nil
}
