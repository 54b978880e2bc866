// Package cache provides in-memory caches with eviction callbacks.
package cache

import (
	"container/list"
	"sync"
)

// EvictReason says why an entry left a cache.
type EvictReason int

// Eviction reasons reported to EvictFunc callbacks.
const (
	ReasonCapacity EvictReason = iota
	ReasonExpired
	ReasonRemoved
	ReasonCleared
)

// String returns a short lower-case name for the reason.
func (r EvictReason) String() string {
	switch r {
	case ReasonCapacity:
		return "capacity"
	case ReasonExpired:
		return "expired"
	case ReasonRemoved:
		return "removed"
	case ReasonCleared:
		return "cleared"
	default:
		return "unknown"
	}
}

// EvictFunc is called after an entry has left the cache. It always runs
// without the cache lock held, so it may call back into the cache.
type EvictFunc[K comparable, V any] func(key K, value V, reason EvictReason)

type entry[K comparable, V any] struct {
	key   K
	value V
}

type eviction[K comparable, V any] struct {
	key    K
	value  V
	reason EvictReason
}

// Stats is a snapshot of cache counters.
type Stats struct {
	Hits      uint64
	Misses    uint64
	Evictions uint64
	Len       int
}

// LRU is a fixed-capacity least-recently-used cache safe for concurrent use.
type LRU[K comparable, V any] struct {
	mu        sync.Mutex
	capacity  int
	ll        *list.List
	items     map[K]*list.Element
	onEvict   EvictFunc[K, V]
	hits      uint64
	misses    uint64
	evictions uint64
}

// NewLRU returns an LRU holding at most capacity entries. onEvict may be nil.
func NewLRU[K comparable, V any](capacity int, onEvict EvictFunc[K, V]) *LRU[K, V] {
	if capacity <= 0 {
		capacity = 1
	}
	return &LRU[K, V]{
		capacity: capacity,
		ll:       list.New(),
		items:    make(map[K]*list.Element, capacity),
		onEvict:  onEvict,
	}
}

// Get returns the value for key and marks it as recently used.
func (c *LRU[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		c.hits++
		return el.Value.(*entry[K, V]).value, true
	}
	c.misses++
	var zero V
	return zero, false
}

// Peek returns the value for key without touching its recency.
func (c *LRU[K, V]) Peek(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		return el.Value.(*entry[K, V]).value, true
	}
	var zero V
	return zero, false
}

// Contains reports whether key is cached.
func (c *LRU[K, V]) Contains(key K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.items[key]
	return ok
}

// Add stores value under key and reports whether an older entry was evicted
// to make room. Eviction callbacks run after the lock is released: the
// deferred fire is registered first, so it runs after the deferred Unlock.
func (c *LRU[K, V]) Add(key K, value V) (evicted bool) {
	var evs []eviction[K, V]
	defer func() { c.fire(evs) }()

	c.mu.Lock()
	defer c.mu.Unlock()

	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		el.Value.(*entry[K, V]).value = value
		return false
	}
	c.items[key] = c.ll.PushFront(&entry[K, V]{key: key, value: value})
	for c.ll.Len() > c.capacity {
		if ev, ok := c.evictOldestLocked(); ok {
			evs = append(evs, ev)
		}
	}
	return len(evs) > 0
}

// Remove deletes key and reports whether it was present.
func (c *LRU[K, V]) Remove(key K) bool {
	var evs []eviction[K, V]
	defer func() { c.fire(evs) }()

	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return false
	}
	evs = append(evs, c.removeElementLocked(el, ReasonRemoved))
	return true
}

// Len returns the number of cached entries.
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
	for el := c.ll.Front(); el != nil; el = el.Next() {
		keys = append(keys, el.Value.(*entry[K, V]).key)
	}
	return keys
}

// Purge removes every entry, reporting each one to the eviction callback.
func (c *LRU[K, V]) Purge() {
	c.mu.Lock()
	evs := make([]eviction[K, V], 0, c.ll.Len())
	for el := c.ll.Back(); el != nil; el = c.ll.Back() {
		evs = append(evs, c.removeElementLocked(el, ReasonCleared))
	}
	c.mu.Unlock()
	c.fire(evs)
}

// Resize changes the capacity, evicting the oldest entries if needed, and
// returns how many were evicted.
func (c *LRU[K, V]) Resize(capacity int) int {
	var evs []eviction[K, V]
	defer func() { c.fire(evs) }()

	c.mu.Lock()
	defer c.mu.Unlock()
	if capacity <= 0 {
		capacity = 1
	}
	c.capacity = capacity
	for c.Len() > capacity { // HAZ lock-reentry-under-defer
		ev, ok := c.evictOldestLocked()
		if !ok {
			break
		}
		evs = append(evs, ev)
	}
	return len(evs)
}

// Stats returns a snapshot of the cache counters.
func (c *LRU[K, V]) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Hits: c.hits, Misses: c.misses, Evictions: c.evictions, Len: c.ll.Len()}
}

// GetOrAdd returns the cached value for key, or stores and returns value.
func (c *LRU[K, V]) GetOrAdd(key K, value V) (actual V, loaded bool) {
	var evs []eviction[K, V]
	defer func() { c.fire(evs) }()

	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		c.hits++
		return el.Value.(*entry[K, V]).value, true
	}
	c.misses++
	c.items[key] = c.ll.PushFront(&entry[K, V]{key: key, value: value})
	for c.ll.Len() > c.capacity {
		if ev, ok := c.evictOldestLocked(); ok {
			evs = append(evs, ev)
		}
	}
	return value, false
}

// evictOldestLocked removes the least recently used entry. c.mu must be held.
func (c *LRU[K, V]) evictOldestLocked() (eviction[K, V], bool) {
	el := c.ll.Back()
	if el == nil {
		return eviction[K, V]{}, false
	}
	c.evictions++
	return c.removeElementLocked(el, ReasonCapacity), true
}

// removeElementLocked unlinks el. c.mu must be held.
func (c *LRU[K, V]) removeElementLocked(el *list.Element, reason EvictReason) eviction[K, V] {
	c.ll.Remove(el)
	e := el.Value.(*entry[K, V])
	delete(c.items, e.key)
	return eviction[K, V]{key: e.key, value: e.value, reason: reason}
}

// fire delivers evictions to the callback. It must be called without c.mu.
func (c *LRU[K, V]) fire(evs []eviction[K, V]) {
	if c.onEvict == nil {
		return
	}
	for _, ev := range evs {
		c.onEvict(ev.key, ev.value, ev.reason)
	}
}
