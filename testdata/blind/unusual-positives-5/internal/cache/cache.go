// Package cache provides small generic in-memory caches and queues.
package cache

import (
	"errors"
	"sync"
	"time"
)

// ErrNotFound is returned by loaders that have no value for a key.
var ErrNotFound = errors.New("cache: not found")

// Loader fetches a value for a key on a miss.
type Loader[K comparable, V any] interface {
	Load(key K) (V, error)
}

// LoaderFunc adapts a plain function to Loader.
type LoaderFunc[K comparable, V any] func(K) (V, error)

// Load calls f.
func (f LoaderFunc[K, V]) Load(key K) (V, error) { return f(key) }

type entry[V any] struct {
	val     V
	expires time.Time
}

// Cache is a TTL cache safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu     sync.Mutex
	items  map[K]entry[V]
	ttl    time.Duration
	loader Loader[K, V]
	hits   int
	misses int
}

// New returns a cache whose entries live for ttl and are filled by l.
func New[K comparable, V any](ttl time.Duration, l Loader[K, V]) *Cache[K, V] {
	return &Cache[K, V]{items: make(map[K]entry[V]), ttl: ttl, loader: l}
}

// lock takes the cache mutex and returns the matching unlock.
func (c *Cache[K, V]) lock() func() {
	c.mu.Lock()
	return c.mu.Unlock
}

// Set stores v under key.
func (c *Cache[K, V]) Set(key K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = entry[V]{val: v, expires: time.Now().Add(c.ttl)}
}

// Get returns the cached value if present and fresh.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(key)
}

// getLocked must be called with c.mu held.
func (c *Cache[K, V]) getLocked(key K) (V, bool) {
	e, ok := c.items[key]
	if !ok || time.Now().After(e.expires) {
		c.misses++
		var zero V
		return zero, false
	}
	c.hits++
	return e.val, true
}

// remember stores a freshly loaded value unless caching is disabled.
func (c *Cache[K, V]) remember(key K, v V) {
	if c.ttl <= 0 {
		return
	}
	c.Set(key, v)
}

// GetOrLoad returns the cached value or loads, caches and returns it.
func (c *Cache[K, V]) GetOrLoad(key K) (V, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.getLocked(key); ok {
		return v, nil
	}
	v, err := c.loader.Load(key)
	if err != nil {
		var zero V
		return zero, err
	}
	c.remember(key, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// Fetch is GetOrLoad without holding the lock across the load: concurrent
// misses may load twice, but nobody waits on a slow loader.
func (c *Cache[K, V]) Fetch(key K) (V, error) {
	c.mu.Lock()
	v, ok := c.getLocked(key)
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := c.loader.Load(key)
	if err != nil {
		return v, err
	}
	c.remember(key, v)
	return v, nil
}

// Replace stores v under key and returns the previous fresh value.
func (c *Cache[K, V]) Replace(key K, v V) (old V, ok bool) {
	var l sync.Locker = &c.mu
	l.Lock()
	defer l.Unlock()
	old, ok = c.getLocked(key)
	c.Set(key, v) // HAZ lock-reentry-under-defer
	return old, ok
}

// Swap is Replace writing the entry directly while the lock is held.
func (c *Cache[K, V]) Swap(key K, v V) (old V, ok bool) {
	var l sync.Locker = &c.mu
	l.Lock()
	defer l.Unlock()
	old, ok = c.getLocked(key)
	c.items[key] = entry[V]{val: v, expires: time.Now().Add(c.ttl)}
	return old, ok
}

// Stats returns hit and miss counters.
func (c *Cache[K, V]) Stats() (hits, misses int) {
	defer c.lock()()
	return c.hits, c.misses
}

// Purge drops every entry and resets the counters.
func (c *Cache[K, V]) Purge() int {
	defer c.lock() // HAZ defer-func-result-not-called
	n := len(c.items)
	clear(c.items)
	c.hits, c.misses = 0, 0
	return n
}

// EvictN removes up to max expired entries and reports how many went.
func (c *Cache[K, V]) EvictN(max int) (int, error) {
	if max <= 0 {
		return 0, errors.New("cache: EvictN needs a positive limit")
	}
	(*sync.Mutex).Lock(&c.mu) // HAZ lock-leaked-on-return
	n := 0
	now := time.Now()
	for k, e := range c.items {
		if n == max {
			return n, nil
		}
		if now.After(e.expires) {
			delete(c.items, k)
			n++
		}
	}
	c.mu.Unlock()
	return n, nil
}

// Expire removes every expired entry. The method-expression pair keeps the
// lock balanced on the only path out.
func (c *Cache[K, V]) Expire() int {
	lock, unlock := (*sync.Mutex).Lock, (*sync.Mutex).Unlock
	lock(&c.mu)
	defer unlock(&c.mu)
	n := 0
	now := time.Now()
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k)
			n++
		}
	}
	return n
}

// Keys returns the keys currently cached, fresh or not.
func (c *Cache[K, V]) Keys() []K {
	unlock := c.lock()
	defer unlock()
	keys := make([]K, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	return keys
}
