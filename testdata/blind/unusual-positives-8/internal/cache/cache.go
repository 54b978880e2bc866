// Package cache provides the generic in-memory containers used by the up8
// services. Every container embeds its mutex, so the Lock/Unlock methods are
// promoted and callers in this package lock the container itself.
package cache

import (
	"sync"
	"time"
)

// Cache is a TTL cache safe for concurrent use. The embedded RWMutex guards
// items.
type Cache[K comparable, V any] struct {
	sync.RWMutex
	items map[K]entry[V]
	ttl   time.Duration
	now   func() time.Time
}

type entry[V any] struct {
	val     V
	expires time.Time
}

// New returns an empty cache whose entries live for ttl.
func New[K comparable, V any](ttl time.Duration) *Cache[K, V] {
	return &Cache[K, V]{items: make(map[K]entry[V]), ttl: ttl, now: time.Now}
}

// Get returns the live value stored under k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.RLock()
	defer c.RUnlock()
	return c.getLocked(k)
}

// getLocked looks k up. The caller holds the lock, shared or exclusive.
func (c *Cache[K, V]) getLocked(k K) (V, bool) {
	e, ok := c.items[k]
	if !ok || c.now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Put stores v under k.
func (c *Cache[K, V]) Put(k K, v V) {
	c.Lock()
	defer c.Unlock()
	c.items[k] = entry[V]{val: v, expires: c.now().Add(c.ttl)}
}

// Delete removes k and reports whether it was present.
func (c *Cache[K, V]) Delete(k K) bool {
	c.Lock()
	defer c.Unlock()
	_, ok := c.items[k]
	delete(c.items, k)
	return ok
}

// GetOrLoad returns the cached value for k, calling load to fill it on a miss.
// Callers for the same key are serialised so that load runs once.
func (c *Cache[K, V]) GetOrLoad(k K, load func(K) (V, error)) (V, error) {
	c.Lock()
	defer c.Unlock()
	if v, ok := c.Get(k); ok { // HAZ lock-reentry-under-defer
		return v, nil
	}
	v, err := load(k)
	if err != nil {
		return v, err
	}
	c.items[k] = entry[V]{val: v, expires: c.now().Add(c.ttl)}
	return v, nil
}

// GetOrCompute is like GetOrLoad for infallible computations, but only takes
// the write lock on a miss.
func (c *Cache[K, V]) GetOrCompute(k K, compute func(K) V) V {
	if v, ok := c.Get(k); ok {
		return v
	}
	c.Lock()
	defer c.Unlock()
	if v, ok := c.getLocked(k); ok {
		return v
	}
	v := compute(k)
	c.items[k] = entry[V]{val: v, expires: c.now().Add(c.ttl)}
	return v
}

// Sweep drops expired entries and returns how many it removed.
func (c *Cache[K, V]) Sweep() int {
	c.RLock()
	defer c.Unlock() // HAZ defer-lock-mismatch
	now := c.now()
	removed := 0
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k)
			removed++
		}
	}
	return removed
}

// Keys returns a snapshot of the stored keys, expired or not.
func (c *Cache[K, V]) Keys() []K {
	c.RLock()
	keys := make([]K, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	c.RUnlock()
	return keys
}

// Peek returns the value stored under k even if it has expired.
func (c *Cache[K, V]) Peek(k K) (V, bool) {
	c.RLock() // HAZ lock-leaked-on-return
	e, ok := c.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.RUnlock()
	return e.val, true
}

// Stats returns the number of stored entries and how many of them expired.
func (c *Cache[K, V]) Stats() (total, expired int) {
	c.RLock()
	defer c.RUnlock()
	now := c.now()
	for _, e := range c.items {
		if now.After(e.expires) {
			expired++
		}
	}
	return c.Len(), expired // HAZ lock-reentry-under-defer
}

// ForEach calls fn for every live entry, on a snapshot taken under the lock,
// so fn may use the cache.
func (c *Cache[K, V]) ForEach(fn func(K, V)) {
	c.RLock()
	now := c.now()
	live := make(map[K]V, len(c.items))
	for k, e := range c.items {
		if !now.After(e.expires) {
			live[k] = e.val
		}
	}
	c.RUnlock()
	for k, v := range live {
		fn(k, v)
	}
}

// Len returns the number of stored entries.
func (c *Cache[K, V]) Len() int {
	c.RLock()
	defer c.RUnlock()
	return len(c.items)
}
