package lru

import "iter"

// All yields entries from most to least recently used. The read lock is held
// for the whole iteration and released on every exit, including a break in
// the caller's loop and a panic in the loop body.
func (c *Cache[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		c.mu.RLock()
		defer c.mu.RUnlock()
		for el := c.ll.Front(); el != nil; el = el.Next() {
			e := el.Value.(*entry[K, V])
			if !yield(e.key, e.val) {
				return
			}
		}
	}
}

// Keys yields a snapshot of the keys; no lock is held while the caller's
// loop body runs, so the body may modify the cache.
func (c *Cache[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		c.mu.RLock()
		keys := make([]K, 0, c.ll.Len())
		for el := c.ll.Front(); el != nil; el = el.Next() {
			keys = append(keys, el.Value.(*entry[K, V]).key)
		}
		c.mu.RUnlock()

		for _, k := range keys {
			if !yield(k) {
				return
			}
		}
	}
}

// Backward yields entries from least to most recently used.
func (c *Cache[K, V]) Backward() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		c.mu.RLock()
		defer c.mu.RUnlock()
		for el := c.ll.Back(); el != nil; el = el.Prev() {
			e := el.Value.(*entry[K, V])
			if !yield(e.key, e.val) {
				return
			}
		}
	}
}

// Filter yields the pairs of seq for which keep returns true.
func Filter[K, V any](seq iter.Seq2[K, V], keep func(K, V) bool) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for k, v := range seq {
			if keep(k, v) && !yield(k, v) {
				return
			}
		}
	}
}

// Take yields at most n pairs of seq, stopping seq early.
func Take[K, V any](seq iter.Seq2[K, V], n int) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		if n <= 0 {
			return
		}
		i := 0
		for k, v := range seq {
			if !yield(k, v) {
				return
			}
			i++
			if i == n {
				return
			}
		}
	}
}

// EqualKeys reports whether a and b yield the same keys in the same order.
func EqualKeys[K comparable](a, b iter.Seq[K]) bool {
	next, stop := iter.Pull(b)
	defer stop()
	for ka := range a {
		kb, ok := next()
		if !ok || ka != kb {
			return false
		}
	}
	_, more := next()
	return !more
}
