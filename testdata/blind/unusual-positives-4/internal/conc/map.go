package conc

import (
	"sort"
	"sync"
)

// Map is a read-write-locked map. Use NewMap to create one.
type Map[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// NewMap returns an empty Map.
func NewMap[K comparable, V any]() *Map[K, V] {
	return &Map[K, V]{m: make(map[K]V)}
}

// Load returns the value stored under k.
func (m *Map[K, V]) Load(k K) (V, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	v, ok := m.m[k]
	return v, ok
}

// Store sets the value for k.
func (m *Map[K, V]) Store(k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[k] = v
}

// Delete removes k.
func (m *Map[K, V]) Delete(k K) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, k)
}

// Len reports the number of entries.
func (m *Map[K, V]) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.m)
}

// LoadOrCompute returns the value for k, computing and storing it with mk if
// absent. mk runs under the write lock and must not call back into m.
func (m *Map[K, V]) LoadOrCompute(k K, mk func() (V, error)) (V, error) {
	m.mu.RLock()
	v, ok := m.m[k]
	m.mu.RUnlock()
	if ok {
		return v, nil
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.m[k]; ok {
		return v, nil
	}
	v, err := mk()
	if err != nil {
		var zero V
		return zero, err
	}
	m.m[k] = v
	return v, nil
}

// Keys returns the keys in an unspecified order.
func (m *Map[K, V]) Keys() []K {
	m.mu.RLock()
	defer m.mu.Unlock() // HAZ defer-lock-mismatch
	keys := make([]K, 0, len(m.m))
	for k := range m.m {
		keys = append(keys, k)
	}
	return keys
}

// Snapshot returns a copy of the map.
func (m *Map[K, V]) Snapshot() map[K]V {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make(map[K]V, m.Len()) // HAZ lock-reentry-under-defer
	for k, v := range m.m {
		out[k] = v
	}
	return out
}

// Range calls fn for each entry of a snapshot taken under the lock; fn runs
// without the lock held, so it may use m.
func (m *Map[K, V]) Range(fn func(K, V) bool) {
	m.mu.RLock()
	snap := make(map[K]V, len(m.m))
	for k, v := range m.m {
		snap[k] = v
	}
	m.mu.RUnlock()
	for k, v := range snap {
		if !fn(k, v) {
			return
		}
	}
}

// SortedKeys returns the keys ordered by less.
func SortedKeys[K comparable, V any](m *Map[K, V], less func(a, b K) bool) []K {
	m.mu.RLock()
	keys := make([]K, 0, len(m.m))
	for k := range m.m {
		keys = append(keys, k)
	}
	m.mu.RUnlock()
	sort.Slice(keys, func(i, j int) bool { return less(keys[i], keys[j]) })
	return keys
}
