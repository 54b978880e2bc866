// Package cache holds the generic containers shared by the services: a TTL
// cache, a resource pool, a batcher, a work queue and a small repository.
package cache

import (
	"log"
	"sync"
	"time"
)

type entry[V any] struct {
	val V
	exp time.Time
}

// Cache is a TTL cache safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	name  string
	items map[K]entry[V]
	ttl   time.Duration
	now   func() time.Time
}

// New returns an empty cache whose entries live for ttl.
func New[K comparable, V any](name string, ttl time.Duration) *Cache[K, V] {
	return &Cache[K, V]{name: name, items: make(map[K]entry[V]), ttl: ttl, now: time.Now}
}

// Get returns the live value for k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok || !c.now().Before(e.exp) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Set stores v under k.
func (c *Cache[K, V]) Set(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setLocked(k, v)
}

// setLocked stores v under k; c.mu must be held.
func (c *Cache[K, V]) setLocked(k K, v V) {
	c.items[k] = entry[V]{val: v, exp: c.now().Add(c.ttl)}
}

// GetOrLoad returns the cached value for k, loading and caching it on a miss.
// The lock is held across load so that concurrent misses load only once.
func (c *Cache[K, V]) GetOrLoad(k K, load func(K) (V, error)) (V, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok && c.now().Before(e.exp) {
		return e.val, nil
	}
	v, err := load(k)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Set(k, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// Fill loads every missing key in keys while holding the lock.
func (c *Cache[K, V]) Fill(keys []K, load func(K) (V, error)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if e, ok := c.items[k]; ok && c.now().Before(e.exp) {
			continue
		}
		v, err := load(k)
		if err != nil {
			return err
		}
		c.setLocked(k, v)
	}
	return nil
}

// CacheStats is a point-in-time view of a cache.
type CacheStats struct {
	Entries int
	Expired int
}

// Log writes s to the standard logger.
func (s CacheStats) Log(name string) {
	log.Printf("cache %s: %d entries (%d expired)", name, s.Entries, s.Expired)
}

// Stats counts live and expired entries.
func (c *Cache[K, V]) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := CacheStats{Entries: len(c.items)}
	now := c.now()
	for _, e := range c.items {
		if !now.Before(e.exp) {
			s.Expired++
		}
	}
	return s
}

// Compact drops expired entries and logs the size of the cache afterwards.
func (c *Cache[K, V]) Compact() int {
	defer c.Stats().Log(c.name) // HAZ defer-call-chain
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	dropped := 0
	for k, e := range c.items {
		if !now.Before(e.exp) {
			delete(c.items, k)
			dropped++
		}
	}
	return dropped
}

// trace logs how long an operation took; use as defer c.trace("op")().
func (c *Cache[K, V]) trace(op string) func() {
	start := time.Now()
	return func() {
		log.Printf("cache %s: %s took %s", c.name, op, time.Since(start))
	}
}

// Warm loads keys that are not cached yet, without holding the lock while
// loading.
func (c *Cache[K, V]) Warm(keys []K, load func(K) (V, error)) (int, error) {
	defer c.trace("warm")()
	loaded := 0
	for _, k := range keys {
		if _, ok := c.Get(k); ok {
			continue
		}
		v, err := load(k)
		if err != nil {
			return loaded, err
		}
		c.Set(k, v)
		loaded++
	}
	return loaded, nil
}
