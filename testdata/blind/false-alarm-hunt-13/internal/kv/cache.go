package kv

import (
	"container/list"
	"sort"
	"sync"
	"sync/atomic"
)

// Cache is a size-bounded LRU cache used in front of remote reads. The
// eviction callback runs after the lock is released.
type Cache[K comparable, V any] struct {
	mu         sync.RWMutex
	maxEntries int
	ll         *list.List
	items      map[K]*list.Element
	onEvicted  func(K, V)

	hits, misses atomic.Uint64
}

type cacheEntry[K comparable, V any] struct {
	key K
	val V
}

// NewCache returns a cache holding at most maxEntries (0 means unbounded).
func NewCache[K comparable, V any](maxEntries int, onEvicted func(K, V)) *Cache[K, V] {
	return &Cache[K, V]{
		maxEntries: maxEntries,
		ll:         list.New(),
		items:      make(map[K]*list.Element),
		onEvicted:  onEvicted,
	}
}

// Add inserts or refreshes key.
func (c *Cache[K, V]) Add(key K, val V) {
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		el.Value.(*cacheEntry[K, V]).val = val
		c.mu.Unlock()
		return
	}
	c.items[key] = c.ll.PushFront(&cacheEntry[K, V]{key, val})
	var evicted []*cacheEntry[K, V]
	for c.maxEntries > 0 && c.ll.Len() > c.maxEntries {
		evicted = append(evicted, c.removeOldestLocked())
	}
	cb := c.onEvicted
	c.mu.Unlock()

	if cb != nil {
		for _, e := range evicted {
			cb(e.key, e.val)
		}
	}
}

// Get returns the value for key and marks it most recently used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		c.misses.Add(1)
		var zero V
		return zero, false
	}
	c.hits.Add(1)
	c.ll.MoveToFront(el)
	return el.Value.(*cacheEntry[K, V]).val, true
}

// GetOrLoad returns the cached value for key, loading and caching it on a
// miss. Concurrent misses for the same key are serialised by the lock.
func (c *Cache[K, V]) GetOrLoad(key K, load func(K) (V, error)) (V, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.hits.Add(1)
		c.ll.MoveToFront(el)
		return el.Value.(*cacheEntry[K, V]).val, nil
	}
	c.misses.Add(1)
	v, err := load(key)
	if err != nil {
		var zero V
		return zero, err
	}
	c.Add(key, v) // HAZ lock-reentry-under-defer
	return v, nil
}

// Peek returns the value for key without touching its recency.
func (c *Cache[K, V]) Peek(key K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if el, ok := c.items[key]; ok {
		return el.Value.(*cacheEntry[K, V]).val, true
	}
	var zero V
	return zero, false
}

// Keys returns the cached keys, most recently used first.
func (c *Cache[K, V]) Keys() []K {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	keys := make([]K, 0, c.ll.Len())
	for el := c.ll.Front(); el != nil; el = el.Next() {
		keys = append(keys, el.Value.(*cacheEntry[K, V]).key)
	}
	return keys
}

// Remove drops key from the cache, running the eviction callback.
func (c *Cache[K, V]) Remove(key K) bool {
	c.mu.Lock()
	el, ok := c.items[key]
	if !ok {
		c.mu.Unlock()
		return false
	}
	e := c.removeElementLocked(el)
	cb := c.onEvicted
	c.mu.Unlock()

	if cb != nil {
		cb(e.key, e.val)
	}
	return true
}

// Purge empties the cache and runs the eviction callback for every entry.
// A failing callback must not stop the purge.
func (c *Cache[K, V]) Purge() {
	c.mu.Lock()
	var entries []*cacheEntry[K, V]
	for c.ll.Len() > 0 {
		entries = append(entries, c.removeOldestLocked())
	}
	cb := c.onEvicted
	c.mu.Unlock()

	if cb == nil {
		return
	}
	for _, e := range entries {
		func() {
			defer func() { _ = recover() }() // HAZ recover-swallows-panic
			cb(e.key, e.val)
		}()
	}
}

func (c *Cache[K, V]) removeOldestLocked() *cacheEntry[K, V] {
	return c.removeElementLocked(c.ll.Back())
}

func (c *Cache[K, V]) removeElementLocked(el *list.Element) *cacheEntry[K, V] {
	c.ll.Remove(el)
	e := el.Value.(*cacheEntry[K, V])
	delete(c.items, e.key)
	return e
}

// Len returns the number of cached entries.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ll.Len()
}

// HitRatio returns hits/(hits+misses), or 0 before the first lookup.
func (c *Cache[K, V]) HitRatio() float64 {
	h, m := c.hits.Load(), c.misses.Load()
	if h+m == 0 {
		return 0
	}
	return float64(h) / float64(h+m)
}

// SortedKeys returns the keys of a string-keyed cache in lexical order.
func SortedKeys[V any](c *Cache[string, V]) []string {
	c.mu.RLock()
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	c.mu.RUnlock()
	sort.Strings(keys)
	return keys
}
