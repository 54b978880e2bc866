package kv

import (
	"container/list"
	"sync"
)

// Cache is a size-bounded LRU cache for values fetched from peers.
type Cache struct {
	mu      sync.RWMutex
	max     int
	ll      *list.List
	items   map[string]*list.Element
	hits    uint64
	misses  uint64
	onEvict func(key string, value []byte)
}

type cacheEntry struct {
	key   string
	value []byte
}

// NewCache returns a cache holding at most max entries. onEvict may be nil.
func NewCache(max int, onEvict func(key string, value []byte)) *Cache {
	if onEvict == nil {
		onEvict = func(string, []byte) {}
	}
	return &Cache{
		max:     max,
		ll:      list.New(),
		items:   make(map[string]*list.Element),
		onEvict: onEvict,
	}
}

// Len returns the number of cached entries.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ll.Len()
}

// lenLocked is Len for callers that already hold c.mu.
func (c *Cache) lenLocked() int {
	return c.ll.Len()
}

// Add inserts or refreshes key, evicting the least recently used entries
// beyond capacity.
func (c *Cache) Add(key string, value []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value.(*cacheEntry).value = value
		c.ll.MoveToFront(el)
		return
	}
	c.items[key] = c.ll.PushFront(&cacheEntry{key: key, value: value})
	for c.lenLocked() > c.max {
		c.evictOldestLocked()
	}
}

// evictOldestLocked drops the least recently used entry.
// It must be called with c.mu held for writing.
func (c *Cache) evictOldestLocked() {
	el := c.ll.Back()
	if el == nil {
		return
	}
	c.ll.Remove(el)
	ce := el.Value.(*cacheEntry)
	delete(c.items, ce.key)
	c.onEvict(ce.key, ce.value)
}

// Get returns the cached value for key and marks it recently used.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		c.misses++
		return nil, false
	}
	c.hits++
	c.ll.MoveToFront(el)
	return el.Value.(*cacheEntry).value, true
}

// Remove drops key without calling the eviction hook.
func (c *Cache) Remove(key string) bool {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	el, ok := c.items[key]
	if !ok {
		return false
	}
	c.ll.Remove(el)
	delete(c.items, key)
	return true
}

// Resize changes the capacity, evicting entries that no longer fit.
func (c *Cache) Resize(max int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max
	for c.Len() > c.max { // HAZ lock-reentry-under-defer
		c.evictOldestLocked()
	}
}

// Stats returns the hit and miss counters.
func (c *Cache) Stats() (hits, misses uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.hits, c.misses
}

// Purge empties the cache. The eviction callback runs after c.mu has
// been released, so it may call back into the cache.
func (c *Cache) Purge() {
	c.mu.Lock()
	old := c.ll
	c.ll = list.New()
	c.items = make(map[string]*list.Element)
	c.mu.Unlock()

	for el := old.Front(); el != nil; el = el.Next() {
		ce := el.Value.(*cacheEntry)
		c.onEvict(ce.key, ce.value)
	}
}
