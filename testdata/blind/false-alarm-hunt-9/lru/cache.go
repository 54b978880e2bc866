// Package lru implements a generic, concurrency-safe least-recently-used cache.
package lru

import (
	"container/list"
	"errors"
	"sync"
)

// ErrCapacity is returned for a non-positive capacity.
var ErrCapacity = errors.New("lru: capacity must be positive")

// EvictFunc is called after an entry leaves the cache. It is never called
// while the cache lock is held, so it may use the cache freely.
type EvictFunc[K comparable, V any] func(key K, val V)

// Stats are the cache's counters.
type Stats struct {
	Hits, Misses, Evictions uint64
}

type entry[K comparable, V any] struct {
	key K
	val V
}

// Cache is a fixed-capacity LRU cache.
type Cache[K comparable, V any] struct {
	mu      sync.RWMutex
	cap     int
	ll      *list.List
	items   map[K]*list.Element
	onEvict EvictFunc[K, V]
	stats   Stats
}

// New returns a cache holding at most capacity entries.
func New[K comparable, V any](capacity int, onEvict EvictFunc[K, V]) (*Cache[K, V], error) {
	if capacity <= 0 {
		return nil, ErrCapacity
	}
	return &Cache[K, V]{
		cap:     capacity,
		ll:      list.New(),
		items:   make(map[K]*list.Element, capacity),
		onEvict: onEvict,
	}, nil
}

// Get returns the value for key and marks it most recently used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		c.stats.Misses++
		var zero V
		return zero, false
	}
	c.ll.MoveToFront(el)
	c.stats.Hits++
	return el.Value.(*entry[K, V]).val, true
}

// Add inserts or updates key. Evicted entries are reported to the eviction
// callback after the lock has been released.
func (c *Cache[K, V]) Add(key K, val V) (evicted bool) {
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		el.Value.(*entry[K, V]).val = val
		c.mu.Unlock()
		return false
	}
	c.items[key] = c.ll.PushFront(&entry[K, V]{key: key, val: val})
	var victims []*entry[K, V]
	for c.ll.Len() > c.cap {
		victims = append(victims, c.removeOldestLocked())
	}
	cb := c.onEvict
	c.mu.Unlock()

	notify(cb, victims)
	return len(victims) > 0
}

// removeOldestLocked drops the least recently used entry; c.mu must be held.
func (c *Cache[K, V]) removeOldestLocked() *entry[K, V] {
	el := c.ll.Back()
	c.ll.Remove(el)
	e := el.Value.(*entry[K, V])
	delete(c.items, e.key)
	c.stats.Evictions++
	return e
}

func notify[K comparable, V any](cb EvictFunc[K, V], victims []*entry[K, V]) {
	if cb == nil {
		return
	}
	for _, e := range victims {
		cb(e.key, e.val)
	}
}

// Peek returns the value for key without updating its recency.
func (c *Cache[K, V]) Peek(key K) (V, bool) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	if el, ok := c.items[key]; ok {
		return el.Value.(*entry[K, V]).val, true
	}
	var zero V
	return zero, false
}

// Contains reports whether key is cached, without updating recency.
func (c *Cache[K, V]) Contains(key K) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.items[key]
	return ok
}

// Remove deletes key and reports whether it was present. The eviction
// callback runs after the lock is released.
func (c *Cache[K, V]) Remove(key K) bool {
	c.mu.Lock()
	el, ok := c.items[key]
	if !ok {
		c.mu.Unlock()
		return false
	}
	c.ll.Remove(el)
	delete(c.items, key)
	cb := c.onEvict
	c.mu.Unlock()

	notify(cb, []*entry[K, V]{el.Value.(*entry[K, V])})
	return true
}

// Len returns the number of cached entries.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ll.Len()
}

// Resize changes the capacity, evicting the oldest entries if needed.
func (c *Cache[K, V]) Resize(capacity int) (evicted int, err error) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if capacity <= 0 {
		return 0, ErrCapacity
	}
	c.cap = capacity
	var victims []*entry[K, V]
	for c.ll.Len() > c.cap {
		victims = append(victims, c.removeOldestLocked())
	}
	cb := c.onEvict
	c.mu.Unlock()

	notify(cb, victims)
	return len(victims), nil
}

// Purge empties the cache and reports how many entries were dropped.
func (c *Cache[K, V]) Purge() int {
	c.mu.Lock()
	old := c.ll
	c.ll = list.New()
	c.items = make(map[K]*list.Element, c.cap)
	cb := c.onEvict
	c.mu.Unlock()

	if cb != nil {
		for el := old.Back(); el != nil; el = el.Prev() {
			e := el.Value.(*entry[K, V])
			cb(e.key, e.val)
		}
	}
	return old.Len()
}

// Stats returns a snapshot of the counters.
func (c *Cache[K, V]) Stats() Stats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stats
}

// GetOrLoad returns the cached value or calls load (without any lock held)
// and caches its result.
func (c *Cache[K, V]) GetOrLoad(key K, load func(K) (V, error)) (V, error) {
	if v, ok := c.Get(key); ok {
		return v, nil
	}
	v, err := load(key)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Add(key, v)
	return v, nil
}
