package collections

import (
	"cmp"
	"iter"
	"slices"
	"sync"
)

// OrderedMap is a concurrency-safe map that iterates in key order.
type OrderedMap[K cmp.Ordered, V any] struct {
	mu   sync.RWMutex
	keys []K
	vals map[K]V
}

// NewOrderedMap returns an empty map.
func NewOrderedMap[K cmp.Ordered, V any]() *OrderedMap[K, V] {
	return &OrderedMap[K, V]{vals: make(map[K]V)}
}

// Set inserts or replaces k.
func (m *OrderedMap[K, V]) Set(k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.vals[k]; !ok {
		i, _ := slices.BinarySearch(m.keys, k)
		m.keys = slices.Insert(m.keys, i, k)
	}
	m.vals[k] = v
}

// Get returns the value for k.
func (m *OrderedMap[K, V]) Get(k K) (V, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	v, ok := m.vals[k]
	return v, ok
}

// Delete removes k.
func (m *OrderedMap[K, V]) Delete(k K) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.deleteLocked(k)
}

func (m *OrderedMap[K, V]) deleteLocked(k K) bool {
	if _, ok := m.vals[k]; !ok {
		return false
	}
	delete(m.vals, k)
	if i, found := slices.BinarySearch(m.keys, k); found {
		m.keys = slices.Delete(m.keys, i, i+1)
	}
	return true
}

// All yields the entries in key order while holding the read lock; the
// loop body must not modify m.
func (m *OrderedMap[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		m.mu.RLock()
		defer m.mu.RUnlock()
		for _, k := range m.keys {
			if !yield(k, m.vals[k]) {
				return
			}
		}
	}
}

// Backward yields the entries in reverse key order from a snapshot.
func (m *OrderedMap[K, V]) Backward() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		m.mu.RLock()
		keys := slices.Clone(m.keys)
		vals := make([]V, len(keys))
		for i, k := range keys {
			vals[i] = m.vals[k]
		}
		m.mu.RUnlock()
		for i := len(keys) - 1; i >= 0; i-- {
			if !yield(keys[i], vals[i]) {
				return
			}
		}
	}
}

// Compact removes entries for which drop reports true.
func (m *OrderedMap[K, V]) Compact(drop func(K, V) bool) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	var doomed []K
	for k, v := range m.All() { // HAZ lock-reentry-under-defer
		if drop(k, v) {
			doomed = append(doomed, k)
		}
	}
	for _, k := range doomed {
		m.deleteLocked(k)
	}
	return len(doomed)
}

// DeleteFunc removes entries for which drop reports true, walking the
// fields directly under the write lock.
func (m *OrderedMap[K, V]) DeleteFunc(drop func(K, V) bool) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	m.keys = slices.DeleteFunc(m.keys, func(k K) bool {
		if drop(k, m.vals[k]) {
			delete(m.vals, k)
			n++
			return true
		}
		return false
	})
	return n
}

// Range yields the entries with lo <= k < hi.
func (m *OrderedMap[K, V]) Range(lo, hi K) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for k, v := range m.All() {
			if k < lo {
				continue
			}
			if k >= hi || !yield(k, v) {
				return
			}
		}
	}
}

// Len reports the number of entries.
func (m *OrderedMap[K, V]) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.keys)
}

// First returns the smallest key; the read lock is dropped on both paths.
func (m *OrderedMap[K, V]) First() (K, bool) {
	m.mu.RLock()
	if len(m.keys) == 0 {
		m.mu.RUnlock()
		var zero K
		return zero, false
	}
	k := m.keys[0]
	m.mu.RUnlock()
	return k, true
}

// Lookup returns the value of the first key satisfying pred.
func (m *OrderedMap[K, V]) Lookup(pred func(K) bool) (V, bool) {
	m.mu.Lock() // HAZ lock-leaked-on-return
	for _, k := range m.keys {
		if pred(k) {
			return m.vals[k], true
		}
	}
	m.mu.Unlock()
	var zero V
	return zero, false
}

// Find is Lookup with the read lock deferred, so the early return is safe.
func (m *OrderedMap[K, V]) Find(pred func(K) bool) (V, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, k := range m.keys {
		if pred(k) {
			return m.vals[k], true
		}
	}
	var zero V
	return zero, false
}
