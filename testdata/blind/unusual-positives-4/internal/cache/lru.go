// Package cache implements the action cache: a size-bounded, content
// addressed store of build outputs on local disk.
package cache

import (
	"container/list"
	"sync"
)

type lruEntry[K comparable, V any] struct {
	key K
	val V
}

// LRU is a fixed-capacity least-recently-used index. onEvict, if set, is
// called with the lock held for every entry pushed out by Add.
type LRU[K comparable, V any] struct {
	mu      sync.Mutex
	cap     int
	ll      *list.List
	items   map[K]*list.Element
	onEvict func(K, V)
}

// NewLRU returns an LRU holding at most capacity entries.
func NewLRU[K comparable, V any](capacity int, onEvict func(K, V)) *LRU[K, V] {
	if capacity < 1 {
		capacity = 1
	}
	return &LRU[K, V]{
		cap:     capacity,
		ll:      list.New(),
		items:   make(map[K]*list.Element),
		onEvict: onEvict,
	}
}

// Get returns the value for k and marks it recently used.
func (c *LRU[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*lruEntry[K, V]).val, true
}

// Add inserts or updates k, evicting the oldest entries beyond capacity.
func (c *LRU[K, V]) Add(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		el.Value.(*lruEntry[K, V]).val = v
		c.ll.MoveToFront(el)
		return
	}
	c.items[k] = c.ll.PushFront(&lruEntry[K, V]{key: k, val: v})
	for c.ll.Len() > c.cap {
		c.evictOldest()
	}
}

// evictOldest drops the least recently used entry. The caller holds c.mu.
func (c *LRU[K, V]) evictOldest() {
	el := c.ll.Back()
	if el == nil {
		return
	}
	c.ll.Remove(el)
	e := el.Value.(*lruEntry[K, V])
	delete(c.items, e.key)
	if c.onEvict != nil {
		c.onEvict(e.key, e.val)
	}
}

// Remove deletes k without calling onEvict. It reports whether k was present.
func (c *LRU[K, V]) Remove(k K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		return false
	}
	c.ll.Remove(el)
	delete(c.items, k)
	return true
}

// Keys returns the keys from most to least recently used.
func (c *LRU[K, V]) Keys() []K {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]K, 0, c.ll.Len())
	for el := c.ll.Front(); el != nil; el = el.Next() {
		keys = append(keys, el.Value.(*lruEntry[K, V]).key)
	}
	return keys
}

// Peek returns the value for k without changing its recency.
func (c *LRU[K, V]) Peek(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		return el.Value.(*lruEntry[K, V]).val, true
	}
	var zero V
	return zero, false
}
