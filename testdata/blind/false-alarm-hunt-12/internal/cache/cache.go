// Package cache is a small bounded LRU-ish cache and a config registry.
package cache

import (
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

type entry[V any] struct {
	val     V
	expires time.Time
	used    time.Time
}

// Cache is a bounded map with expiry. The zero value is not usable.
type Cache[K comparable, V any] struct {
	mu     sync.Mutex
	items  map[K]*entry[V]
	max    int
	ttl    time.Duration
	hits   atomic.Int64
	misses atomic.Int64
}

// New returns a cache holding at most max items for ttl each.
func New[K comparable, V any](max int, ttl time.Duration) *Cache[K, V] {
	return &Cache[K, V]{items: make(map[K]*entry[V], max), max: max, ttl: ttl}
}

// Get returns the value for k if present and fresh.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok || time.Now().After(e.expires) {
		c.misses.Add(1)
		var zero V
		return zero, false
	}
	e.used = time.Now()
	c.hits.Add(1)
	return e.val, true
}

// Put stores v under k, evicting the least recently used item when full.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[k]; !ok && len(c.items) >= c.max {
		c.evictOldestLocked()
	}
	now := time.Now()
	c.items[k] = &entry[V]{val: v, expires: now.Add(c.ttl), used: now}
}

// evictOldestLocked drops the least recently used item. c.mu must be held.
func (c *Cache[K, V]) evictOldestLocked() {
	var (
		oldest K
		when   time.Time
		found  bool
	)
	for k, e := range c.items {
		if !found || e.used.Before(when) {
			oldest, when, found = k, e.used, true
		}
	}
	if found {
		delete(c.items, oldest)
	}
}

// Len reports the number of items.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// PutAll stores every pair of m, stopping when the cache is full.
func (c *Cache[K, V]) PutAll(m map[K]V) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, v := range m {
		if c.Len() >= c.max { // HAZ lock-reentry-under-defer
			break
		}
		now := time.Now()
		c.items[k] = &entry[V]{val: v, expires: now.Add(c.ttl), used: now}
		n++
	}
	return n
}

// Fill is PutAll done right: the size is read from the map under the held lock.
func (c *Cache[K, V]) Fill(m map[K]V) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, k := range slices.Collect(maps.Keys(m)) {
		if len(c.items) >= c.max {
			break
		}
		now := time.Now()
		c.items[k] = &entry[V]{val: m[k], expires: now.Add(c.ttl), used: now}
		n++
	}
	return n
}

// Delete removes k. The lock is released on both paths and nothing in between
// can panic.
func (c *Cache[K, V]) Delete(k K) bool {
	c.mu.Lock()
	if _, ok := c.items[k]; !ok {
		c.mu.Unlock()
		return false
	}
	delete(c.items, k)
	c.mu.Unlock()
	return true
}

// Evict removes every item pred selects.
func (c *Cache[K, V]) Evict(pred func(K, V) bool) int {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if len(c.items) == 0 {
		return 0
	}
	n := 0
	for k, e := range c.items {
		if pred(k, e.val) {
			delete(c.items, k)
			n++
		}
	}
	c.mu.Unlock()
	return n
}

// Expire removes stale items; a deferred unlock covers a panic in the clock too.
func (c *Cache[K, V]) Expire(now func() time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) == 0 {
		return 0
	}
	t := now()
	before := len(c.items)
	maps.DeleteFunc(c.items, func(_ K, e *entry[V]) bool { return t.After(e.expires) })
	return before - len(c.items)
}

// Snapshot copies the map while locked, then works on the copy unlocked.
func (c *Cache[K, V]) Snapshot() map[K]V {
	c.mu.Lock()
	out := make(map[K]V, len(c.items))
	for k, e := range c.items {
		out[k] = e.val
	}
	c.mu.Unlock()
	return out
}

// Stats returns hit and miss counters without locking.
func (c *Cache[K, V]) Stats() (hits, misses int64) {
	return c.hits.Load(), c.misses.Load()
}

// GetOrLoad returns the cached value or computes it with load outside the lock.
func (c *Cache[K, V]) GetOrLoad(k K, load func(K) (V, error)) (V, error) {
	if v, ok := c.Get(k); ok {
		return v, nil
	}
	v, err := load(k)
	if err != nil {
		return v, err
	}
	c.Put(k, v)
	return v, nil
}

// Visit calls fn for each of keys that is present, one lock per key.
func (c *Cache[K, V]) Visit(keys []K, fn func(K, V)) {
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if e, ok := c.items[k]; ok {
			fn(k, e.val)
		}
	}
}

// VisitEach is Visit with the lock scoped to a function literal per key.
func (c *Cache[K, V]) VisitEach(keys []K, fn func(K, V)) {
	for _, k := range keys {
		func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if e, ok := c.items[k]; ok {
				fn(k, e.val)
			}
		}()
	}
}
