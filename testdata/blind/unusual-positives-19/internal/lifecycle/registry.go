// Package lifecycle sequences the start-up and shutdown steps of the relay
// and keeps the journal and timing metrics of those steps.
package lifecycle

import (
	"fmt"
	"sort"
	"sync"
)

// Registry maps a resource kind to the finalizer that releases it.
type Registry struct {
	mu         sync.Mutex
	finalizers map[string]func()
}

// NewRegistry returns a registry with finalizers for the built-in kinds.
func NewRegistry() *Registry {
	return &Registry{finalizers: map[string]func(){
		"scratch": func() {},
	}}
}

// Register sets the finalizer of kind.
func (r *Registry) Register(kind string, fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finalizers[kind] = fn
}

// Kinds lists the registered kinds.
func (r *Registry) Kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.finalizers))
	for k := range r.finalizers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Use runs fn with a resource of the given kind and finalizes it afterwards.
func (r *Registry) Use(kind string, fn func() error) error {
	defer r.finalizers[kind]() // HAZ defer-nil-func
	return fn()
}

// UseChecked is Use for kinds that come from configuration: an unknown kind
// is an error instead of a panic.
func (r *Registry) UseChecked(kind string, fn func() error) error {
	r.mu.Lock()
	fin, ok := r.finalizers[kind]
	r.mu.Unlock()
	if !ok || fin == nil {
		return fmt.Errorf("lifecycle: no finalizer for %q", kind)
	}
	defer fin()
	return fn()
}
