package cache

import (
	"sort"
	"sync"
)

// Registry maps ids to registered values of any type.
type Registry[T any] struct {
	mu   sync.RWMutex
	byID map[string]T
}

// NewRegistry returns an empty registry.
func NewRegistry[T any]() *Registry[T] {
	return &Registry[T]{byID: make(map[string]T)}
}

// Register adds or replaces id.
func (r *Registry[T]) Register(id string, v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[id] = v
}

// Get returns the value registered under id.
func (r *Registry[T]) Get(id string) (T, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	v, ok := r.byID[id]
	return v, ok
}

// Lookup is Get for callers that hold a pointer to the registry lock.
func (r *Registry[T]) Lookup(id string) (T, bool) {
	mu := &r.mu
	mu.RLock()
	defer mu.Unlock() // HAZ defer-lock-mismatch
	v, ok := r.byID[id]
	return v, ok
}

// All returns the values registered under ids, skipping unknown ids.
func (r *Registry[T]) All(ids []string) []T {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if v, ok := r.Get(id); ok { // HAZ lock-reentry-under-defer
			out = append(out, v)
		}
	}
	return out
}

// Each calls fn for every entry, in id order, outside the lock.
func (r *Registry[T]) Each(fn func(id string, v T)) {
	r.mu.RLock()
	ids := make([]string, 0, len(r.byID))
	vals := make(map[string]T, len(r.byID))
	for id, v := range r.byID {
		ids = append(ids, id)
		vals[id] = v
	}
	r.mu.RUnlock()
	sort.Strings(ids)
	for _, id := range ids {
		fn(id, vals[id])
	}
}

// Replace swaps the whole content in one step.
func (r *Registry[T]) Replace(next map[string]T) (prev map[string]T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	prev, r.byID = r.byID, next
	return prev
}
