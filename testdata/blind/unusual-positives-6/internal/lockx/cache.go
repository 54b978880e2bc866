// Package lockx provides the generic concurrent containers used by up6:
// a TTL cache, a keyed mutex, an embeddable versioned mutex, a table and a
// value pool.
package lockx

import (
	"sync"
	"time"
)

type entry[V any] struct {
	val     V
	expires time.Time
}

// Cache is a map with per-entry expiry, safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu      sync.RWMutex
	items   map[K]entry[V]
	ttl     time.Duration
	now     func() time.Time
	onEvict func(K, V)
}

// NewCache returns a cache whose entries live for ttl. onEvict, if not nil, is
// called for entries removed by Evict.
func NewCache[K comparable, V any](ttl time.Duration, onEvict func(K, V)) *Cache[K, V] {
	return &Cache[K, V]{
		items:   make(map[K]entry[V]),
		ttl:     ttl,
		now:     time.Now,
		onEvict: onEvict,
	}
}

// Get returns the live value stored under k.
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

// Put stores v under k with a fresh expiry.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(k, v)
}

func (c *Cache[K, V]) putLocked(k K, v V) {
	c.items[k] = entry[V]{val: v, expires: c.now().Add(c.ttl)}
}

// Update runs fn with the write lock held; fn stores entries through put.
func (c *Cache[K, V]) Update(fn func(put func(K, V))) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn(c.putLocked)
}

// GetOrLoad returns the cached value for k, loading and caching it on a miss.
// The lock is held across load so concurrent misses load only once.
func (c *Cache[K, V]) GetOrLoad(k K, load func(K) (V, error)) (V, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok && c.now().Before(e.expires) {
		return e.val, nil
	}
	v, err := load(k)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Put(k, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// Len returns the number of stored entries, live or expired.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	n := len(c.items)
	c.mu.RUnlock()
	return n
}

// TTL returns how long the entry under k has left to live.
func (c *Cache[K, V]) TTL(k K) (time.Duration, bool) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := c.items[k]
	if !ok {
		return 0, false
	}
	return e.expires.Sub(c.now()), true
}

// Sweep removes up to max expired entries and reports how many it removed.
func (c *Cache[K, V]) Sweep(max int) int {
	c.mu.Lock() // HAZ lock-leaked-on-return
	now := c.now()
	n := 0
	for k, e := range c.items {
		if n == max {
			return n
		}
		if now.After(e.expires) {
			delete(c.items, k)
			n++
		}
	}
	c.mu.Unlock()
	return n
}

// Evict removes k and reports whether it was present. The eviction callback
// runs after the lock is released.
func (c *Cache[K, V]) Evict(k K) bool {
	c.mu.Lock()
	e, ok := c.items[k]
	if !ok {
		c.mu.Unlock()
		return false
	}
	delete(c.items, k)
	c.mu.Unlock()

	c.notify(k, e.val)
	return true
}

// notify runs the eviction callback; a misbehaving callback must not break
// the caller.
func (c *Cache[K, V]) notify(k K, v V) {
	if c.onEvict == nil {
		return
	}
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	c.onEvict(k, v)
}
