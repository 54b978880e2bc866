// Package lru implements a size-bounded least-recently-used cache with
// eviction callbacks.
package lru

import (
	"container/list"
	"log"
	"sync"
)

// EvictFunc is called with every entry that leaves the cache because of
// capacity pressure or an explicit removal.
type EvictFunc[K comparable, V any] func(key K, value V)

// Pair is a key/value pair used for batch inserts.
type Pair[K comparable, V any] struct {
	Key   K
	Value V
}

type entry[K comparable, V any] struct {
	key   K
	value V
}

// Cache is safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu      sync.Mutex
	max     int
	ll      *list.List
	items   map[K]*list.Element
	onEvict EvictFunc[K, V] // may be nil

	hits, misses uint64
}

// New returns a cache holding at most max entries. onEvict may be nil.
func New[K comparable, V any](max int, onEvict EvictFunc[K, V]) *Cache[K, V] {
	if max <= 0 {
		max = 1
	}
	return &Cache[K, V]{
		max:     max,
		ll:      list.New(),
		items:   make(map[K]*list.Element),
		onEvict: onEvict,
	}
}

// Get returns the value for key and marks it as recently used.
func (c *Cache[K, V]) Get(key K) (value V, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock() // ok: plain pair, nothing below re-locks
	el, found := c.items[key]
	if !found {
		c.misses++
		return value, false
	}
	c.hits++
	c.ll.MoveToFront(el)
	return el.Value.(*entry[K, V]).value, true
}

// Peek returns the value without touching recency.
func (c *Cache[K, V]) Peek(key K) (value V, ok bool) {
	c.mu.Lock()
	el, found := c.items[key]
	if !found {
		c.mu.Unlock()
		return value, false
	}
	value = el.Value.(*entry[K, V]).value
	c.mu.Unlock() // ok: every path releases the lock
	return value, true
}

// Len reports the number of cached entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// Add inserts or replaces key and reports whether an older entry was evicted.
func (c *Cache[K, V]) Add(key K, value V) (evicted bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value.(*entry[K, V]).value = value
		c.ll.MoveToFront(el)
		return false
	}
	c.items[key] = c.ll.PushFront(&entry[K, V]{key: key, value: value})
	for c.Len() > c.max { // HAZ lock-reentry-under-defer
		c.removeOldestLocked()
		evicted = true
	}
	return evicted
}

// AddAll inserts pairs in order. Evicted entries are handed to the callback
// after the lock has been released, so callbacks may use the cache.
func (c *Cache[K, V]) AddAll(pairs ...Pair[K, V]) int {
	var gone []entry[K, V]
	c.mu.Lock()
	for _, p := range pairs {
		if el, ok := c.items[p.Key]; ok {
			el.Value.(*entry[K, V]).value = p.Value
			c.ll.MoveToFront(el)
			continue
		}
		c.items[p.Key] = c.ll.PushFront(&entry[K, V]{key: p.Key, value: p.Value})
		for c.ll.Len() > c.max { // ok: reads the list directly, no second Lock
			gone = append(gone, c.popOldestLocked())
		}
	}
	cb := c.onEvict
	c.mu.Unlock()
	c.notifyAll(cb, gone)
	return len(gone)
}

// Promote moves key to the front and reports whether it was present.
func (c *Cache[K, V]) Promote(key K) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	el, ok := c.items[key]
	if !ok {
		return false
	}
	c.ll.MoveToFront(el)
	c.mu.Unlock()
	return true
}

// Remove drops key and runs the eviction callback for it.
func (c *Cache[K, V]) Remove(key K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return false
	}
	e := c.removeElementLocked(el)
	defer c.onEvict(e.key, e.value) // HAZ defer-nil-func
	return true
}

// Delete drops key; the callback, if any, runs after the lock is released.
func (c *Cache[K, V]) Delete(key K) bool {
	c.mu.Lock()
	el, ok := c.items[key]
	if !ok {
		c.mu.Unlock()
		return false
	}
	e := c.removeElementLocked(el)
	cb := c.onEvict
	c.mu.Unlock()
	if cb != nil {
		cb(e.key, e.value) // ok: nil checked, called outside the lock
	}
	return true
}

// Resize changes the capacity, evicting the oldest entries as needed.
func (c *Cache[K, V]) Resize(max int) (evicted int) {
	if max <= 0 {
		max = 1
	}
	c.mu.Lock()
	c.max = max
	var gone []entry[K, V]
	for c.ll.Len() > c.max {
		gone = append(gone, c.popOldestLocked())
	}
	cb := c.onEvict
	c.mu.Unlock()
	c.notifyAll(cb, gone)
	return len(gone)
}

// Keys returns the keys from most to least recently used.
func (c *Cache[K, V]) Keys() []K {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]K, 0, c.ll.Len())
	for el := c.ll.Front(); el != nil; el = el.Next() {
		keys = append(keys, el.Value.(*entry[K, V]).key)
	}
	return keys
}

// Stats returns hit and miss counters.
func (c *Cache[K, V]) Stats() (hits, misses uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// HitRatio reports hits/(hits+misses), or 0 before the first lookup.
func (c *Cache[K, V]) HitRatio() float64 {
	h, m := c.Stats() // ok: Stats locks on its own, nothing held here
	if h+m == 0 {
		return 0
	}
	return float64(h) / float64(h+m)
}

// Purge empties the cache and returns how many callbacks panicked.
func (c *Cache[K, V]) Purge() (failed int) {
	c.mu.Lock()
	gone := make([]entry[K, V], 0, c.ll.Len())
	for el := c.ll.Front(); el != nil; el = el.Next() {
		gone = append(gone, *el.Value.(*entry[K, V]))
	}
	c.ll.Init()
	clear(c.items)
	cb := c.onEvict
	c.mu.Unlock()
	if cb == nil {
		return 0
	}
	for _, e := range gone {
		func() {
			defer func() { // ok: recover called directly by the deferred literal, and reported
				if r := recover(); r != nil {
					failed++
					log.Printf("lru: eviction callback panicked for %v: %v", e.key, r)
				}
			}()
			cb(e.key, e.value)
		}()
	}
	return failed
}

func (c *Cache[K, V]) notifyAll(cb EvictFunc[K, V], gone []entry[K, V]) {
	if cb == nil {
		return
	}
	for _, e := range gone {
		c.safeCall(cb, e)
	}
}

// safeCall runs one eviction callback; a misbehaving callback must not stop
// the remaining evictions.
func (c *Cache[K, V]) safeCall(cb EvictFunc[K, V], e entry[K, V]) {
	defer func() { // HAZ recover-swallows-panic
		if r := recover(); r != nil {
			// callback misbehaved; keep going
		}
	}()
	cb(e.key, e.value)
}

func (c *Cache[K, V]) removeOldestLocked() {
	el := c.ll.Back()
	if el == nil {
		return
	}
	e := c.removeElementLocked(el)
	if c.onEvict != nil {
		c.onEvict(e.key, e.value)
	}
}

func (c *Cache[K, V]) popOldestLocked() entry[K, V] {
	return c.removeElementLocked(c.ll.Back())
}

func (c *Cache[K, V]) removeElementLocked(el *list.Element) entry[K, V] {
	e := c.ll.Remove(el).(*entry[K, V])
	delete(c.items, e.key)
	return *e
}
