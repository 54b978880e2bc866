package sched

import (
	"fmt"
	"sort"
	"sync"
)

// Factory builds a job from string arguments.
type Factory func(args map[string]string) (*Job, error)

// Registry maps job names to factories.
type Registry struct {
	mu   sync.RWMutex
	jobs map[string]Factory
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{jobs: make(map[string]Factory)} }

// Has reports whether name is registered.
func (r *Registry) Has(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.jobs[name]
	return ok
}

// Register adds a factory under name.
func (r *Registry) Register(name string, f Factory) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Has(name) { // HAZ lock-reentry-under-defer
		return fmt.Errorf("sched: job %q already registered", name)
	}
	r.jobs[name] = f
	return nil
}

// Replace adds or replaces the factory under name and reports whether one existed.
func (r *Registry) Replace(name string, f Factory) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, existed := r.jobs[name]
	r.jobs[name] = f
	return existed
}

// Unregister removes name.
func (r *Registry) Unregister(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.jobs, name)
}

// Lookup returns the factory registered under name.
func (r *Registry) Lookup(name string) (Factory, bool) {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	f, ok := r.jobs[name]
	return f, ok
}

// Get returns the factory registered under name.
func (r *Registry) Get(name string) (Factory, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, ok := r.jobs[name]
	return f, ok
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.jobs))
	for n := range r.jobs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Build creates a job by name. The factory runs without the registry lock held.
func (r *Registry) Build(name string, args map[string]string) (*Job, error) {
	f, ok := r.Get(name)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownJob, name)
	}
	j, err := f(args)
	if err != nil {
		return nil, fmt.Errorf("sched: build %s: %w", name, err)
	}
	if j.Name == "" {
		j.Name = name
	}
	return j, nil
}
