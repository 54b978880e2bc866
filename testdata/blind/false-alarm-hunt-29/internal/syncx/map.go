// Package syncx provides small generic containers that are safe for
// concurrent use. Methods hold the container's lock for as short a time as
// possible and release it on every path.
package syncx

import (
	"cmp"
	"iter"
	"maps"
	"slices"
	"sync"
)

// Map is a map guarded by an embedded mutex.
type Map[K comparable, V any] struct {
	sync.Mutex
	m map[K]V
}

// NewMap returns an empty map with room for n entries.
func NewMap[K comparable, V any](n int) *Map[K, V] {
	return &Map[K, V]{m: make(map[K]V, n)}
}

// Load returns the value stored for k.
func (m *Map[K, V]) Load(k K) (V, bool) {
	m.Lock()
	defer m.Unlock()
	v, ok := m.m[k]
	return v, ok
}

// Store sets the value for k.
func (m *Map[K, V]) Store(k K, v V) {
	m.Lock()
	if m.m == nil {
		m.m = make(map[K]V)
	}
	m.m[k] = v
	m.Unlock()
}

// LoadOrStore returns the existing value for k if there is one. Otherwise it
// stores v and returns it.
func (m *Map[K, V]) LoadOrStore(k K, v V) (actual V, loaded bool) {
	m.Lock()
	if old, ok := m.m[k]; ok {
		m.Unlock()
		return old, true
	}
	if m.m == nil {
		m.m = make(map[K]V)
	}
	m.m[k] = v
	m.Unlock()
	return v, false
}

// LoadAndDelete removes k and returns the value it had.
func (m *Map[K, V]) LoadAndDelete(k K) (V, bool) {
	m.Lock()
	defer m.Unlock()
	v, ok := m.m[k]
	if ok {
		delete(m.m, k)
	}
	return v, ok
}

// Compute replaces the value for k with fn(old, ok). When fn fails the map
// is left unchanged and the old value is returned with the error.
func (m *Map[K, V]) Compute(k K, fn func(old V, ok bool) (V, error)) (V, error) {
	m.Lock()
	defer m.Unlock()
	old, ok := m.m[k]
	nv, err := fn(old, ok)
	if err != nil {
		return old, err
	}
	if m.m == nil {
		m.m = make(map[K]V)
	}
	m.m[k] = nv
	return nv, nil
}

// Update applies fn to the value for k if k is present. It reports whether
// k was present.
func (m *Map[K, V]) Update(k K, fn func(V) (V, error)) (bool, error) {
	m.Lock() // HAZ lock-leaked-on-return
	old, ok := m.m[k]
	if !ok {
		m.Unlock()
		return false, nil
	}
	nv, err := fn(old)
	if err != nil {
		return true, err
	}
	m.m[k] = nv
	m.Unlock()
	return true, nil
}

// Len returns the number of entries.
func (m *Map[K, V]) Len() int {
	m.Lock()
	n := len(m.m)
	m.Unlock()
	return n
}

// Clear removes every entry.
func (m *Map[K, V]) Clear() {
	m.Lock()
	defer m.Unlock()
	clear(m.m)
}

// All returns an iterator over a snapshot of the map. The loop body may call
// back into m: no lock is held while it runs.
func (m *Map[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for k, v := range m.snapshot() {
			if !yield(k, v) {
				return
			}
		}
	}
}

func (m *Map[K, V]) snapshot() map[K]V {
	m.Lock()
	defer m.Unlock()
	return maps.Clone(m.m)
}

// Merge copies every entry of src into m. src is read before m is locked,
// so m.Merge(m) is safe.
func (m *Map[K, V]) Merge(src *Map[K, V]) {
	entries := src.snapshot()
	m.Lock()
	defer m.Unlock()
	if m.m == nil {
		m.m = make(map[K]V, len(entries))
	}
	maps.Copy(m.m, entries)
}

// DeleteFunc removes every entry for which del returns true and reports how
// many were removed.
func (m *Map[K, V]) DeleteFunc(del func(K, V) bool) int {
	m.Lock()
	defer m.Unlock()
	before := len(m.m)
	maps.DeleteFunc(m.m, del)
	return before - len(m.m)
}

// Pop removes and returns an arbitrary entry.
func (m *Map[K, V]) Pop() (k K, v V, ok bool) {
	m.Lock()
	defer m.Unlock()
	for k, v = range m.m {
		m.deleteLocked(k)
		return k, v, true
	}
	return k, v, false
}

// deleteLocked removes k. The caller holds m's lock.
func (m *Map[K, V]) deleteLocked(k K) {
	delete(m.m, k)
}

// SortedKeys returns the keys of m in ascending order.
func SortedKeys[K cmp.Ordered, V any](m *Map[K, V]) []K {
	m.Lock()
	defer m.Unlock()
	return slices.Sorted(maps.Keys(m.m))
}

// StoreAll stores every pair produced by seq and reports how many there were.
func (m *Map[K, V]) StoreAll(seq iter.Seq2[K, V]) int {
	m.Lock()
	defer m.Unlock()
	n := 0
	for k, v := range seq {
		m.Store(k, v) // HAZ lock-reentry-under-defer
		n++
	}
	return n
}

// StoreMap copies src into m under a single lock acquisition.
func (m *Map[K, V]) StoreMap(src map[K]V) {
	m.Lock()
	defer m.Unlock()
	if m.m == nil {
		m.m = make(map[K]V, len(src))
	}
	for k, v := range src {
		m.m[k] = v
	}
}
