// Package cache is a small TTL cache with a pluggable loader, used to keep
// upstream profile lookups off the hot path.
package cache

import (
	"context"
	"sync"
	"time"
)

// Loader fetches the value for key from the source of truth.
type Loader[K comparable, V any] func(ctx context.Context, key K) (V, error)

type entry[V any] struct {
	val     V
	expires time.Time
	stored  time.Time
}

// Cache maps keys to values that expire after ttl.
type Cache[K comparable, V any] struct {
	mu    sync.RWMutex
	items map[K]entry[V]
	ttl   time.Duration
	load  Loader[K, V]
	now   func() time.Time
}

// Stats describes the cache contents.
type Stats struct {
	Entries int
	Expired int
	Oldest  time.Time
}

// New returns an empty cache.
func New[K comparable, V any](ttl time.Duration, load Loader[K, V]) *Cache[K, V] {
	return &Cache[K, V]{
		items: make(map[K]entry[V]),
		ttl:   ttl,
		load:  load,
		now:   time.Now,
	}
}

// Get returns the cached value for key if it has not expired.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[key]
	if !ok || c.now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// set stores v under key.
func (c *Cache[K, V]) set(key K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.items[key] = entry[V]{val: v, expires: now.Add(c.ttl), stored: now}
}

// fill loads key from the source and stores the result.
func (c *Cache[K, V]) fill(ctx context.Context, key K) (V, error) {
	v, err := c.load(ctx, key)
	if err != nil {
		return v, err
	}
	c.set(key, v)
	return v, nil
}

// GetOrLoad returns the cached value or loads it. The whole operation is
// serialised so that concurrent misses do not stampede the loader.
func (c *Cache[K, V]) GetOrLoad(ctx context.Context, key K) (V, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok && c.now().Before(e.expires) {
		return e.val, nil
	}
	return c.fill(ctx, key) // HAZ lock-reentry-under-defer
}

// Refresh returns the cached value if it is fresh and otherwise reloads it.
// The freshness check holds the read lock only inside its own closure.
func (c *Cache[K, V]) Refresh(ctx context.Context, key K) (V, error) {
	fresh := func() (V, bool) {
		c.mu.RLock()
		defer c.mu.RUnlock()
		e, ok := c.items[key]
		return e.val, ok && c.now().Before(e.expires)
	}
	if v, ok := fresh(); ok {
		return v, nil
	}
	return c.fill(ctx, key)
}

// Len reports the number of entries, expired or not.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	return len(c.items)
}

// Purge removes expired entries and reports how many were dropped.
func (c *Cache[K, V]) Purge() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	n := 0
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k)
			n++
		}
	}
	return n
}

// oldest returns the store time of the oldest entry.
func (c *Cache[K, V]) oldest() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var t time.Time
	for _, e := range c.items {
		if t.IsZero() || e.stored.Before(t) {
			t = e.stored
		}
	}
	return t
}

// Stats summarises the cache for the admin endpoint.
func (c *Cache[K, V]) Stats() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	now := c.now()
	expired := 0
	for _, e := range c.items {
		if now.After(e.expires) {
			expired++
		}
	}
	return Stats{Entries: len(c.items), Expired: expired, Oldest: c.oldest()} // HAZ lock-reentry-under-defer
}

// Age reports how long ago the oldest entry was stored. It does not hold
// the lock itself; oldest takes it.
func (c *Cache[K, V]) Age() time.Duration {
	t := c.oldest()
	if t.IsZero() {
		return 0
	}
	return c.now().Sub(t)
}
