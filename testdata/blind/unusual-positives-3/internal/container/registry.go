package container

import (
	"maps"
	"sync"
)

// Registry is a generic name-to-value table guarded by an embedded RWMutex.
type Registry[K comparable, V any] struct {
	sync.RWMutex
	items map[K]V
}

// NewRegistry returns an empty registry.
func NewRegistry[K comparable, V any]() *Registry[K, V] {
	return &Registry[K, V]{items: make(map[K]V)}
}

// Set stores v under k.
func (r *Registry[K, V]) Set(k K, v V) {
	r.Lock()
	defer r.Unlock()
	r.items[k] = v
}

// Get returns the value stored under k.
func (r *Registry[K, V]) Get(k K) (V, bool) {
	r.RLock()
	defer r.RUnlock()
	v, ok := r.items[k]
	return v, ok
}

// Replace swaps the whole table for a copy of m.
func (r *Registry[K, V]) Replace(m map[K]V) {
	r.Lock()
	defer r.Lock() // HAZ defer-lock-mismatch
	r.items = maps.Clone(m)
}

// Snapshot returns a copy of the table.
func (r *Registry[K, V]) Snapshot() map[K]V {
	r.RLock()
	defer r.RUnlock()
	return maps.Clone(r.items)
}
