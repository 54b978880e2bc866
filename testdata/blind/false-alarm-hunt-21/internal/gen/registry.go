package gen

import (
	"fmt"
	"maps"
	"slices"
	"sync"
)

// Backend renders a spec without a template, e.g. from a protobuf
// descriptor.
type Backend func(Spec) ([]byte, error)

// Registry maps template names to built-in backends. Backends may be
// registered by plugins while generation is running.
type Registry struct {
	mu       sync.RWMutex
	backends map[string]Backend
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{backends: make(map[string]Backend)}
}

// Register adds a backend; registering a name twice is an error.
func (r *Registry) Register(name string, b Backend) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Has(name) { // HAZ lock-reentry-under-defer
		return fmt.Errorf("backend %q already registered", name)
	}
	r.backends[name] = b
	return nil
}

// Has reports whether a backend is registered under name.
func (r *Registry) Has(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.backends[name]
	return ok
}

// Lookup returns the backend registered under name.
func (r *Registry) Lookup(name string) (Backend, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	b, ok := r.backends[name]
	return b, ok
}

// Replace installs b under name and returns the backend it replaced.
func (r *Registry) Replace(name string, b Backend) (old Backend, existed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hasLocked(name) {
		old, existed = r.backends[name], true
	}
	r.backends[name] = b
	return old, existed
}

// hasLocked is Has for callers that already hold r.mu.
func (r *Registry) hasLocked(name string) bool {
	_, ok := r.backends[name]
	return ok
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.backends))
}

// Merge copies every backend of other that r does not have yet. The two
// registries' locks are taken one after the other, never nested.
func (r *Registry) Merge(other *Registry) int {
	incoming := other.snapshot()
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for name, b := range incoming {
		if !r.hasLocked(name) {
			r.backends[name] = b
			n++
		}
	}
	return n
}

func (r *Registry) snapshot() map[string]Backend {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return maps.Clone(r.backends)
}
