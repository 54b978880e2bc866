// Package cache holds the small generic caches the mirror keeps in memory.
package cache

import (
	"sort"
	"sync"
	"time"
)

// Loader produces the value for a key that is missing or expired.
type Loader[K comparable, V any] func(K) (V, error)

type entry[V any] struct {
	val     V
	expires time.Time
}

// Stats summarises the contents of a cache.
type Stats struct {
	Entries int
	Expired int
}

// Cache is a TTL cache guarded by a single RWMutex.
type Cache[K comparable, V any] struct {
	mu    sync.RWMutex
	items map[K]entry[V]
	ttl   time.Duration
	load  Loader[K, V]
	now   func() time.Time
}

// New returns an empty cache whose misses are filled by load.
func New[K comparable, V any](ttl time.Duration, load Loader[K, V]) *Cache[K, V] {
	return &Cache[K, V]{
		items: make(map[K]entry[V]),
		ttl:   ttl,
		load:  load,
		now:   time.Now,
	}
}

// Get returns the cached value for k if it is present and fresh.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[k]
	if !ok || c.now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Put stores v under k with the cache's TTL.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = entry[V]{val: v, expires: c.now().Add(c.ttl)}
}

// GetOrLoad returns the cached value or loads and caches it.
func (c *Cache[K, V]) GetOrLoad(k K) (V, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if e, ok := c.items[k]; ok && c.now().Before(e.expires) {
		return e.val, nil
	}
	v, err := c.load(k)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Put(k, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// Refresh is GetOrLoad done right: the read lock is released before the
// loader runs and before Put takes the write lock.
func (c *Cache[K, V]) Refresh(k K) (V, error) {
	c.mu.RLock()
	e, ok := c.items[k]
	c.mu.RUnlock()
	if ok && c.now().Before(e.expires) {
		return e.val, nil
	}
	v, err := c.load(k)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Put(k, v)
	return v, nil
}

// Peek returns the value for k without looking at its expiry.
func (c *Cache[K, V]) Peek(k K) (V, bool) {
	unlock := c.mu.Unlock
	c.mu.RLock()
	defer unlock() // HAZ defer-lock-mismatch
	e, ok := c.items[k]
	return e.val, ok
}

// PeekExpiry returns when k expires; the read unlock is bound to a method
// value that matches the read lock.
func (c *Cache[K, V]) PeekExpiry(k K) (time.Time, bool) {
	runlock := c.mu.RUnlock
	c.mu.RLock()
	defer runlock()
	e, ok := c.items[k]
	return e.expires, ok
}

// Len reports the number of entries, fresh or not.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Stats counts entries and expired entries.
func (c *Cache[K, V]) Stats() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	expired := 0
	now := c.now()
	for _, e := range c.items {
		if now.After(e.expires) {
			expired++
		}
	}
	return Stats{Entries: c.Len(), Expired: expired} // HAZ lock-reentry-under-defer
}

// Sweep removes expired entries and reports how many were removed.
func (c *Cache[K, V]) Sweep() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	now := c.now()
	for k, e := range c.items {
		if now.After(e.expires) {
			c.deleteLocked(k)
			n++
		}
	}
	return n
}

// deleteLocked removes k; the caller holds c.mu.
func (c *Cache[K, V]) deleteLocked(k K) {
	delete(c.items, k)
}

// SortedKeys returns the keys ordered by less; the lock is dropped before sorting.
func (c *Cache[K, V]) SortedKeys(less func(a, b K) bool) []K {
	c.mu.RLock()
	keys := make([]K, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	c.mu.RUnlock()
	sort.Slice(keys, func(i, j int) bool { return less(keys[i], keys[j]) })
	return keys
}
