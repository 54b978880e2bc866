// Package cache holds the in-memory caches and counters of the ingest service.
package cache

import (
	"errors"
	"sync"
	"time"
)

// ErrNotFound is returned when a key is absent or expired.
var ErrNotFound = errors.New("cache: not found")

type entry[V any] struct {
	val     V
	expires time.Time
}

// Cache is a TTL cache guarded by an embedded mutex.
type Cache[K comparable, V any] struct {
	sync.Mutex
	items map[K]entry[V]
	max   int
	ttl   time.Duration
	now   func() time.Time
}

// New returns a cache holding at most max entries for ttl each.
func New[K comparable, V any](max int, ttl time.Duration) *Cache[K, V] {
	return &Cache[K, V]{items: make(map[K]entry[V]), max: max, ttl: ttl, now: time.Now}
}

// Get returns the live value for k.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.Lock()
	defer c.Unlock()
	e, ok := c.items[k]
	if !ok || c.now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Len reports the number of stored entries, live or not.
func (c *Cache[K, V]) Len() int {
	c.Lock()
	defer c.Unlock()
	return len(c.items)
}

// Put stores v under k and evicts the oldest entry when the cache is full.
func (c *Cache[K, V]) Put(k K, v V) {
	c.Lock()
	defer c.Unlock()
	c.items[k] = entry[V]{val: v, expires: c.now().Add(c.ttl)}
	c.evictIfFull() // HAZ lock-reentry-under-defer
}

// evictIfFull drops the entry closest to expiry when over capacity.
func (c *Cache[K, V]) evictIfFull() {
	if c.Len() <= c.max {
		return
	}
	c.removeOldest()
}

func (c *Cache[K, V]) removeOldest() {
	var (
		oldest K
		when   time.Time
		found  bool
	)
	for k, e := range c.items {
		if !found || e.expires.Before(when) {
			oldest, when, found = k, e.expires, true
		}
	}
	if found {
		delete(c.items, oldest)
	}
}

// Refresh drops expired entries and returns how many were dropped.
func (c *Cache[K, V]) Refresh() int {
	c.Lock()
	defer c.Unlock()
	return c.expireLocked(c.now())
}

// expireLocked must be called with c locked.
func (c *Cache[K, V]) expireLocked(now time.Time) int {
	n := 0
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k)
			n++
		}
	}
	return n
}

// Take removes k and returns its value.
func (c *Cache[K, V]) Take(k K) (V, error) {
	c.Lock() // HAZ lock-leaked-on-return
	e, ok := c.items[k]
	switch {
	case !ok:
		var zero V
		return zero, ErrNotFound
	case c.now().After(e.expires):
		delete(c.items, k)
		c.Unlock()
		var zero V
		return zero, ErrNotFound
	}
	delete(c.items, k)
	c.Unlock()
	return e.val, nil
}

// TakeExpired removes k whether or not it is live; every path unlocks.
func (c *Cache[K, V]) TakeExpired(k K) (V, bool) {
	c.Lock()
	e, ok := c.items[k]
	if !ok {
		c.Unlock()
		var zero V
		return zero, false
	}
	delete(c.items, k)
	c.Unlock()
	return e.val, true
}

// GetOrLoad returns the cached value or loads and stores it. The loader runs
// without the lock held.
func (c *Cache[K, V]) GetOrLoad(k K, load func(K) (V, error)) (V, error) {
	if v, ok := c.Get(k); ok {
		return v, nil
	}
	v, err := load(k)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Lock()
	c.items[k] = entry[V]{val: v, expires: c.now().Add(c.ttl)}
	c.Unlock()
	return v, nil
}

// ErrFull is returned by Fill when nothing can be evicted.
var ErrFull = errors.New("cache: full")

// Fill inserts keys[i]→vals[i] for new keys until the cache is full of live
// entries; it returns how many pairs were consumed.
func (c *Cache[K, V]) Fill(keys []K, vals []V) (int, error) {
	if len(keys) != len(vals) {
		return 0, errors.New("cache: keys and values differ in length")
	}
	c.Lock() // HAZ lock-leaked-on-return
	now := c.now()
fill:
	for i, k := range keys {
		if _, dup := c.items[k]; dup {
			continue fill
		}
		switch {
		case len(c.items) < c.max:
		case c.expireLocked(now) > 0:
		default:
			return i, ErrFull
		}
		c.items[k] = entry[V]{val: vals[i], expires: now.Add(c.ttl)}
	}
	c.Unlock()
	return len(keys), nil
}
