// Package cache provides small generic in-memory caches.
package cache

import (
	"iter"
	"maps"
	"slices"
	"sync"
	"time"
)

type entry[V any] struct {
	val     V
	expires time.Time
}

// Cache is a TTL cache that is safe for concurrent use. A zero TTL means
// entries never expire.
type Cache[K comparable, V any] struct {
	mu      sync.RWMutex
	items   map[K]entry[V]
	ttl     time.Duration
	now     func() time.Time
	onEvict func(K, V)
}

// Option configures a Cache.
type Option[K comparable, V any] func(*Cache[K, V])

// WithEvictHook registers fn to be called, without the cache lock held, for
// every entry removed by Delete or Purge.
func WithEvictHook[K comparable, V any](fn func(K, V)) Option[K, V] {
	return func(c *Cache[K, V]) { c.onEvict = fn }
}

// WithClock replaces time.Now, for tests.
func WithClock[K comparable, V any](now func() time.Time) Option[K, V] {
	return func(c *Cache[K, V]) { c.now = now }
}

// New returns an empty cache.
func New[K comparable, V any](ttl time.Duration, opts ...Option[K, V]) *Cache[K, V] {
	c := &Cache[K, V]{items: make(map[K]entry[V]), ttl: ttl, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c
}

// getLocked returns the live value for k. The caller holds c.mu.
func (c *Cache[K, V]) getLocked(k K) (V, bool) {
	e, ok := c.items[k]
	if !ok || c.expired(e, c.now()) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// setLocked stores v under k. The caller holds c.mu for writing.
func (c *Cache[K, V]) setLocked(k K, v V) {
	c.items[k] = entry[V]{val: v, expires: c.now().Add(c.ttl)}
}

func (c *Cache[K, V]) expired(e entry[V], now time.Time) bool {
	return c.ttl > 0 && now.After(e.expires)
}

// Get returns the value stored under k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.getLocked(k)
}

// Set stores v under k.
func (c *Cache[K, V]) Set(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(k, v)
}

// GetOrLoad returns the value for k, calling load and caching its result on a
// miss. The lock is held across load so that concurrent misses load once.
func (c *Cache[K, V]) GetOrLoad(k K, load func(K) (V, error)) (V, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.getLocked(k); ok {
		return v, nil
	}
	v, err := load(k)
	if err != nil {
		return v, err
	}
	c.Set(k, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// Update replaces the value under k with fn(old, ok), atomically.
func (c *Cache[K, V]) Update(k K, fn func(old V, ok bool) V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.getLocked(k)
	nv := fn(old, ok)
	c.setLocked(k, nv)
	return nv
}

// Delete removes k and reports whether it was present.
func (c *Cache[K, V]) Delete(k K) bool {
	c.mu.Lock()
	e, ok := c.items[k]
	delete(c.items, k)
	c.mu.Unlock()
	if ok && c.onEvict != nil {
		c.onEvict(k, e.val)
	}
	return ok
}

// DeleteMany removes keys, taking the lock once per key so that a large batch
// does not starve readers. It returns how many keys were present.
func (c *Cache[K, V]) DeleteMany(keys []K) int {
	n := 0
	for _, k := range keys {
		func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if _, ok := c.items[k]; ok {
				delete(c.items, k)
				n++
			}
		}()
	}
	return n
}

// SetMany stores every pair of items.
func (c *Cache[K, V]) SetMany(items map[K]V) {
	for k, v := range items {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		c.setLocked(k, v)
	}
}

// Expiry reports when the entry under k expires.
func (c *Cache[K, V]) Expiry(k K) (time.Time, bool) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := c.items[k]
	return e.expires, ok
}

// Len returns the number of entries, expired or not.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// Keys returns the keys in no particular order.
func (c *Cache[K, V]) Keys() []K {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Collect(maps.Keys(c.items))
}

// All yields the live entries. It iterates over a snapshot, so the loop body
// may call back into the cache.
func (c *Cache[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		c.mu.RLock()
		snap := maps.Clone(c.items)
		c.mu.RUnlock()
		now := c.now()
		for k, e := range snap {
			if c.expired(e, now) {
				continue
			}
			if !yield(k, e.val) {
				return
			}
		}
	}
}

// Purge removes expired entries and returns how many it removed. The evict
// hook runs after the lock is released.
func (c *Cache[K, V]) Purge() int {
	evicted := c.purgeExpired()
	if c.onEvict != nil {
		for k, v := range evicted {
			c.onEvict(k, v)
		}
	}
	return len(evicted)
}

func (c *Cache[K, V]) purgeExpired() map[K]V {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	out := make(map[K]V)
	maps.DeleteFunc(c.items, func(k K, e entry[V]) bool {
		if c.expired(e, now) {
			out[k] = e.val
			return true
		}
		return false
	})
	return out
}

// Clear removes every entry without calling the evict hook.
func (c *Cache[K, V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
}

// TryRefresh extends the lifetime of k unless the cache is busy. It never
// blocks, so it is safe to call from latency-sensitive paths.
func (c *Cache[K, V]) TryRefresh(k K) bool {
	if !c.mu.TryLock() {
		return false
	}
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return false
	}
	e.expires = c.now().Add(c.ttl)
	c.items[k] = e
	return true
}
