package genx

import (
	"cmp"
	"maps"
	"slices"
	"sync"
	"time"
)

type entry[V any] struct {
	val     V
	expires time.Time
}

// Cache is a map with a per-entry time to live.
type Cache[K comparable, V any] struct {
	mu      sync.RWMutex
	items   map[K]entry[V]
	ttl     time.Duration
	now     func() time.Time
	OnEvict func(K, V)
}

// NewCache returns an empty cache whose entries live for ttl.
func NewCache[K comparable, V any](ttl time.Duration) *Cache[K, V] {
	return &Cache[K, V]{items: make(map[K]entry[V]), ttl: ttl, now: time.Now}
}

// Get returns the live value for k.
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

// Set stores v under k.
func (c *Cache[K, V]) Set(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = entry[V]{val: v, expires: c.now().Add(c.ttl)}
}

// Len counts the stored entries, expired or not.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// GetOrLoad returns the cached value for k or loads and stores it.
func (c *Cache[K, V]) GetOrLoad(k K, load func(K) (V, error)) (V, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok && c.now().Before(e.expires) {
		return e.val, nil
	}
	v, err := load(k)
	if err != nil {
		return v, err
	}
	c.Set(k, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// Fetch is GetOrLoad that loads without holding the lock.
func (c *Cache[K, V]) Fetch(k K, load func(K) (V, error)) (V, error) {
	if v, ok := c.Get(k); ok {
		return v, nil
	}
	v, err := load(k)
	if err != nil {
		return v, err
	}
	c.Set(k, v) // ok: no lock is held here
	return v, nil
}

// Counts reports how many entries are live and how many have expired.
func (c *Cache[K, V]) Counts() (live, expired int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	now := c.now()
	for _, e := range c.items {
		if now.After(e.expires) {
			expired++
		}
	}
	return c.Len() - expired, expired // HAZ lock-reentry-under-defer
}

// Delete removes k and reports whether it was present.
func (c *Cache[K, V]) Delete(k K) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := c.items[k]
	if !ok {
		return false
	}
	delete(c.items, k)
	c.mu.Unlock()
	if c.OnEvict != nil {
		c.OnEvict(k, e.val)
	}
	return true
}

// Remove is Delete with the unlock on every path.
func (c *Cache[K, V]) Remove(k K) bool {
	c.mu.Lock()
	e, ok := c.items[k]
	if !ok {
		c.mu.Unlock()
		return false
	}
	delete(c.items, k)
	c.mu.Unlock()
	if c.OnEvict != nil {
		c.OnEvict(k, e.val)
	}
	return true
}

// Peek returns the value for k even when it has expired.
func (c *Cache[K, V]) Peek(k K) (V, bool) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	e, ok := c.items[k]
	return e.val, ok
}

// Sweep drops expired entries and calls OnEvict for each outside the lock.
func (c *Cache[K, V]) Sweep() int {
	type gone struct {
		k K
		v V
	}
	var evicted []gone
	c.mu.Lock()
	now := c.now()
	maps.DeleteFunc(c.items, func(k K, e entry[V]) bool {
		if now.After(e.expires) {
			evicted = append(evicted, gone{k, e.val})
			return true
		}
		return false
	})
	c.mu.Unlock()
	if c.OnEvict != nil {
		for _, g := range evicted {
			c.OnEvict(g.k, g.v)
		}
	}
	return len(evicted)
}

// Purge drops everything.
func (c *Cache[K, V]) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
}

// SortedKeys lists the keys of c in order.
func SortedKeys[K cmp.Ordered, V any](c *Cache[K, V]) []K {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Sorted(maps.Keys(c.items))
}
