// Package cache has an LRU, a TTL cache with a janitor, a sharded map, a
// singleflight group and a loading cache built from them.
package cache

import (
	"container/list"
	"sync"
	"sync/atomic"
)

// EvictFunc is told about every entry that leaves the cache.
type EvictFunc[K comparable, V any] func(key K, val V)

type entry[K comparable, V any] struct {
	key K
	val V
}

// Stats counts cache events.
type Stats struct {
	hits, misses, evictions, removals atomic.Int64
}

// Snapshot returns hits, misses, evictions and removals.
func (s *Stats) Snapshot() (hits, misses, evictions, removals int64) {
	return s.hits.Load(), s.misses.Load(), s.evictions.Load(), s.removals.Load()
}

// LRU is a fixed-size least-recently-used cache.
type LRU[K comparable, V any] struct {
	mu      sync.Mutex
	size    int
	ll      *list.List
	items   map[K]*list.Element
	onEvict EvictFunc[K, V]
	stats   Stats
}

// Option configures an LRU.
type Option[K comparable, V any] func(*LRU[K, V])

// WithEvictCallback sets the eviction callback.
func WithEvictCallback[K comparable, V any](fn EvictFunc[K, V]) Option[K, V] {
	return func(c *LRU[K, V]) { c.onEvict = fn }
}

// NewLRU returns an LRU holding at most size entries.
func NewLRU[K comparable, V any](size int, opts ...Option[K, V]) *LRU[K, V] {
	if size < 1 {
		size = 1
	}
	c := &LRU[K, V]{size: size, ll: list.New(), items: make(map[K]*list.Element)}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Get returns the value for key and marks it recently used.
func (c *LRU[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		c.stats.hits.Add(1)
		return e.Value.(*entry[K, V]).val, true
	}
	c.stats.misses.Add(1)
	var zero V
	return zero, false
}

// Peek returns the value without updating recency.
func (c *LRU[K, V]) Peek(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		return e.Value.(*entry[K, V]).val, true
	}
	var zero V
	return zero, false
}

// Add inserts or updates key. Evicted entries are reported to the callback
// after the lock is released, so the callback may use the cache.
func (c *LRU[K, V]) Add(key K, val V) (evicted bool) {
	var gone []*entry[K, V]
	c.mu.Lock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		e.Value.(*entry[K, V]).val = val
		c.mu.Unlock()
		return false
	}
	c.items[key] = c.ll.PushFront(&entry[K, V]{key, val})
	for c.ll.Len() > c.size {
		gone = append(gone, c.removeOldestLocked())
	}
	c.mu.Unlock()
	c.notify(gone)
	return len(gone) > 0
}

func (c *LRU[K, V]) notify(gone []*entry[K, V]) {
	c.stats.evictions.Add(int64(len(gone)))
	if c.onEvict == nil {
		return
	}
	for _, ent := range gone {
		c.onEvict(ent.key, ent.val)
	}
}

func (c *LRU[K, V]) removeOldestLocked() *entry[K, V] {
	e := c.ll.Back()
	ent := c.ll.Remove(e).(*entry[K, V])
	delete(c.items, ent.key)
	return ent
}

func (c *LRU[K, V]) removeLocked(key K) (*entry[K, V], bool) {
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	ent := c.ll.Remove(e).(*entry[K, V])
	delete(c.items, key)
	return ent, true
}

// Remove deletes key and tells the eviction callback about it once the
// lock has been released.
func (c *LRU[K, V]) Remove(key K) bool {
	c.mu.Lock()
	ent, ok := c.removeLocked(key)
	c.mu.Unlock()
	if !ok {
		return false
	}
	defer c.onEvict(ent.key, ent.val) // HAZ defer-nil-func
	c.stats.removals.Add(1)
	return true
}

// Len returns the number of entries.
func (c *LRU[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// Keys returns the keys from most to least recently used.
func (c *LRU[K, V]) Keys() []K {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]K, 0, c.ll.Len())
	for e := c.ll.Front(); e != nil; e = e.Next() {
		keys = append(keys, e.Value.(*entry[K, V]).key)
	}
	return keys
}

// Resize changes the capacity, evicting as needed.
func (c *LRU[K, V]) Resize(size int) int {
	if size < 1 {
		size = 1
	}
	c.mu.Lock()
	c.size = size
	var gone []*entry[K, V]
	for c.ll.Len() > c.size {
		gone = append(gone, c.removeOldestLocked())
	}
	c.mu.Unlock()
	c.notify(gone)
	return len(gone)
}

// Purge empties the cache, reporting every entry.
func (c *LRU[K, V]) Purge() {
	c.mu.Lock()
	var gone []*entry[K, V]
	for c.ll.Len() > 0 {
		gone = append(gone, c.removeOldestLocked())
	}
	c.mu.Unlock()
	c.notify(gone)
}

// Stats returns the cache's counters.
func (c *LRU[K, V]) Stats() *Stats { return &c.stats }
