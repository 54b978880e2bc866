package cache

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
)

var (
	// ErrDuplicate is returned by Register for a key already present.
	ErrDuplicate = errors.New("registry: duplicate key")
	// ErrNotFound is returned for an absent key.
	ErrNotFound = errors.New("registry: not found")
)

// Registry maps names to values and notifies hooks on change. It embeds a
// RWMutex, so RLock, RUnlock, Lock and Unlock are promoted.
type Registry[K comparable, V any] struct {
	sync.RWMutex
	items map[K]V
	hooks []func(K, V)
}

// NewRegistry returns an empty registry.
func NewRegistry[K comparable, V any]() *Registry[K, V] {
	return &Registry[K, V]{items: make(map[K]V)}
}

// OnChange adds a hook called after Replace.
func (r *Registry[K, V]) OnChange(fn func(K, V)) {
	r.Lock()
	defer r.Unlock()
	r.hooks = append(r.hooks, fn)
}

// Register adds k.
func (r *Registry[K, V]) Register(k K, v V) error {
	r.Lock()
	defer r.Unlock()
	if _, dup := r.items[k]; dup {
		return fmt.Errorf("register %v: %w", k, ErrDuplicate)
	}
	r.items[k] = v
	return nil
}

// Get returns the value for k.
func (r *Registry[K, V]) Get(k K) (V, bool) {
	r.RLock()
	defer r.RUnlock()
	v, ok := r.items[k]
	return v, ok
}

// Len reports the number of entries.
func (r *Registry[K, V]) Len() int {
	r.RLock()
	defer r.RUnlock()
	return len(r.items)
}

// Each calls fn for every entry until fn returns false.
func (r *Registry[K, V]) Each(fn func(K, V) bool) {
	r.RLock()
	defer r.Unlock() // HAZ defer-lock-mismatch
	for k, v := range r.items {
		if !fn(k, v) {
			return
		}
	}
}

// Snapshot copies the entries under the read lock.
func (r *Registry[K, V]) Snapshot() map[K]V {
	r.RLock()
	defer r.RUnlock()
	return maps.Clone(r.items)
}

// Describe renders the registry for the debug page.
func (r *Registry[K, V]) Describe() string {
	r.RLock()
	defer r.RUnlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d entries\n", r.Len()) // HAZ lock-reentry-under-defer
	for k, v := range r.items {
		fmt.Fprintf(&b, "  %v = %v\n", k, v)
	}
	return b.String()
}

// Summary is Describe built from a snapshot, so no lock is held while
// formatting.
func (r *Registry[K, V]) Summary() string {
	snap := r.Snapshot()
	var b strings.Builder
	fmt.Fprintf(&b, "%d entries\n", len(snap))
	for k, v := range snap {
		fmt.Fprintf(&b, "  %v = %v\n", k, v)
	}
	return b.String()
}

// Replace swaps the value for k and returns the previous one.
func (r *Registry[K, V]) Replace(k K, v V) (V, error) {
	r.Lock() // HAZ lock-leaked-on-return
	old, ok := r.items[k]
	if !ok {
		return old, fmt.Errorf("replace %v: %w", k, ErrNotFound)
	}
	r.items[k] = v
	hooks := r.hooks
	r.Unlock()
	for _, h := range hooks {
		h(k, v)
	}
	return old, nil
}

// Remove deletes k, unlocking explicitly on both paths.
func (r *Registry[K, V]) Remove(k K) (V, bool) {
	r.Lock()
	v, ok := r.items[k]
	if !ok {
		r.Unlock()
		return v, false
	}
	delete(r.items, k)
	r.Unlock()
	return v, true
}
