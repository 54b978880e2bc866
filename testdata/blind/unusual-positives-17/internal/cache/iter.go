package cache

import (
	"iter"
	"maps"
)

// Keys yields the keys currently in the cache. Callers may stop early.
func (c *Cache[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		c.mu.RLock() // HAZ lock-leaked-on-return
		for k := range c.items {
			if !yield(k) {
				return
			}
		}
		c.mu.RUnlock()
	}
}

// All yields every key and value. It iterates over a copy taken under the
// read lock, so the loop body may call back into the cache.
func (c *Cache[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		c.mu.RLock()
		snapshot := maps.Clone(c.items)
		c.mu.RUnlock()
		for k, e := range snapshot {
			if !yield(k, e.val) {
				return
			}
		}
	}
}

// Values yields the values while holding the read lock for the duration of
// the iteration; the deferred unlock runs however the consumer stops.
func (c *Cache[K, V]) Values() iter.Seq[V] {
	return func(yield func(V) bool) {
		c.mu.RLock()
		defer c.mu.RUnlock()
		for _, e := range c.items {
			if !yield(e.val) {
				return
			}
		}
	}
}
