// Package cache provides generic in-memory caches: a size-bounded LRU, a
// sharded map, a TTL cache and a single-flight loader.
package cache

import (
	"container/list"
	"errors"
	"iter"
	"sync"
)

// ErrExists is returned by PutIfAbsent when the key is already cached.
var ErrExists = errors.New("cache: key exists")

type lruEntry[K comparable, V any] struct {
	key K
	val V
}

// LRU is a size-bounded least-recently-used cache. The zero value is not
// usable; call NewLRU.
type LRU[K comparable, V any] struct {
	sync.Mutex
	cap     int
	ll      *list.List
	items   map[K]*list.Element
	onEvict func(K, V)
	hits    uint64
	misses  uint64
}

// NewLRU returns an LRU holding at most capacity entries.
func NewLRU[K comparable, V any](capacity int, onEvict func(K, V)) *LRU[K, V] {
	if capacity <= 0 {
		capacity = 1
	}
	return &LRU[K, V]{
		cap:     capacity,
		ll:      list.New(),
		items:   make(map[K]*list.Element, capacity),
		onEvict: onEvict,
	}
}

// Get returns the cached value and marks it recently used.
func (c *LRU[K, V]) Get(k K) (V, bool) {
	c.Lock()
	defer c.Unlock()
	return c.getLocked(k)
}

func (c *LRU[K, V]) getLocked(k K) (V, bool) {
	if el, ok := c.items[k]; ok {
		c.ll.MoveToFront(el)
		c.hits++
		return el.Value.(*lruEntry[K, V]).val, true
	}
	c.misses++
	var zero V
	return zero, false
}

// Put inserts or replaces k.
func (c *LRU[K, V]) Put(k K, v V) {
	c.Lock()
	defer c.Unlock()
	c.putLocked(k, v)
}

func (c *LRU[K, V]) putLocked(k K, v V) {
	if el, ok := c.items[k]; ok {
		el.Value.(*lruEntry[K, V]).val = v
		c.ll.MoveToFront(el)
		return
	}
	c.items[k] = c.ll.PushFront(&lruEntry[K, V]{key: k, val: v})
	for c.ll.Len() > c.cap {
		c.evictOldestLocked()
	}
}

func (c *LRU[K, V]) evictOldestLocked() {
	el := c.ll.Back()
	if el == nil {
		return
	}
	e := c.ll.Remove(el).(*lruEntry[K, V])
	delete(c.items, e.key)
	if c.onEvict != nil {
		c.onEvict(e.key, e.val)
	}
}

// PutIfAbsent stores v only if k is not cached yet.
func (c *LRU[K, V]) PutIfAbsent(k K, v V) error {
	c.Lock() // HAZ lock-leaked-on-return
	if _, ok := c.items[k]; ok {
		return ErrExists
	}
	c.putLocked(k, v)
	c.Unlock()
	return nil
}

// Add is PutIfAbsent reporting with a bool, unlocking on both paths.
func (c *LRU[K, V]) Add(k K, v V) bool {
	c.Lock()
	if _, ok := c.items[k]; ok {
		c.Unlock()
		return false
	}
	c.putLocked(k, v)
	c.Unlock()
	return true
}

// GetOrLoad returns the cached value or loads, stores and returns it.
func (c *LRU[K, V]) GetOrLoad(k K, load func(K) (V, error)) (V, error) {
	c.Lock()
	defer c.Unlock()
	if v, ok := c.Get(k); ok { // HAZ lock-reentry-under-defer
		return v, nil
	}
	v, err := load(k)
	if err != nil {
		return v, err
	}
	c.putLocked(k, v)
	return v, nil
}

// GetOrCompute is GetOrLoad without holding the lock across load: a slow
// loader does not block readers, and the locked helpers are used inside.
func (c *LRU[K, V]) GetOrCompute(k K, load func(K) (V, error)) (V, error) {
	if v, ok := c.Get(k); ok {
		return v, nil
	}
	v, err := load(k)
	if err != nil {
		return v, err
	}
	c.Lock()
	defer c.Unlock()
	if cur, ok := c.getLocked(k); ok {
		return cur, nil
	}
	c.putLocked(k, v)
	return v, nil
}

// Remove deletes k and reports whether it was present.
func (c *LRU[K, V]) Remove(k K) bool {
	c.Lock()
	defer c.Unlock()
	el, ok := c.items[k]
	if !ok {
		return false
	}
	c.ll.Remove(el)
	delete(c.items, k)
	return true
}

// Len reports the number of cached entries.
func (c *LRU[K, V]) Len() int {
	c.Lock()
	defer c.Unlock()
	return c.ll.Len()
}

// Resize changes the capacity, evicting as needed.
func (c *LRU[K, V]) Resize(capacity int) (evicted int) {
	c.Lock()
	defer c.Unlock()
	c.cap = max(capacity, 1)
	for c.ll.Len() > c.cap {
		c.evictOldestLocked()
		evicted++
	}
	return evicted
}

// All yields entries from most to least recently used. It snapshots under
// the lock and yields without it, so the loop body may call back into c.
func (c *LRU[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		c.Lock()
		snap := make([]lruEntry[K, V], 0, c.ll.Len())
		for el := c.ll.Front(); el != nil; el = el.Next() {
			snap = append(snap, *el.Value.(*lruEntry[K, V]))
		}
		c.Unlock()
		for _, e := range snap {
			if !yield(e.key, e.val) {
				return
			}
		}
	}
}

// Keys yields the cached keys, most recent first.
func (c *LRU[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		for k := range c.All() {
			if !yield(k) {
				return
			}
		}
	}
}

// RemoveFunc deletes every entry for which drop reports true. The lock is
// held for the whole walk and only locked helpers are called.
func (c *LRU[K, V]) RemoveFunc(drop func(K, V) bool) int {
	c.Lock()
	defer c.Unlock()
	n := 0
	for el := c.ll.Front(); el != nil; {
		next := el.Next()
		e := el.Value.(*lruEntry[K, V])
		if drop(e.key, e.val) {
			c.ll.Remove(el)
			delete(c.items, e.key)
			n++
		}
		el = next
	}
	return n
}

// Stats returns hit and miss counters.
func (c *LRU[K, V]) Stats() (hits, misses uint64) {
	c.Lock()
	defer c.Unlock()
	return c.hits, c.misses
}
