package kv

import (
	"errors"
	"fmt"
	"sync"
)

// Index describes a secondary index over keys with a common prefix.
type Index struct {
	Name   string
	Prefix string
	Fields []string
}

// Registry tracks index definitions and tells builders about new ones.
type Registry struct {
	mu      sync.Mutex
	indexes map[string]*Index
	pending []string
	hooks   []func(name string) error
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{indexes: make(map[string]*Index)}
}

// OnPublish registers a hook that runs whenever an index is (re)defined.
func (r *Registry) OnPublish(hook func(name string) error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hooks = append(r.hooks, hook)
}

// Define registers idx and schedules it for building.
func (r *Registry) Define(idx *Index) error {
	if idx == nil || idx.Name == "" {
		return errors.New("kv: index needs a name")
	}
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.indexes[idx.Name]; dup {
		return fmt.Errorf("kv: index %q already defined", idx.Name)
	}
	r.indexes[idx.Name] = idx
	return r.publishLocked(idx.Name)
}

// Rename moves an index definition to a new name and schedules a rebuild.
func (r *Registry) Rename(from, to string) error {
	r.mu.Lock()
	idx, ok := r.indexes[from]
	if !ok {
		r.mu.Unlock()
		return fmt.Errorf("kv: no index %q", from)
	}
	if _, taken := r.indexes[to]; taken {
		r.mu.Unlock()
		return fmt.Errorf("kv: index %q already defined", to)
	}
	delete(r.indexes, from)
	idx.Name = to
	r.indexes[to] = idx
	return r.publishLocked(to) // unlocks r.mu
}

// publishLocked queues name for building and runs the hooks.
//
// It must be called with r.mu held, and it unlocks r.mu: the hooks run
// without the lock so that they may call back into the registry.
func (r *Registry) publishLocked(name string) error {
	r.pending = append(r.pending, name)
	hooks := append([]func(string) error(nil), r.hooks...)
	r.mu.Unlock()

	var errs []error
	for _, h := range hooks {
		if err := h(name); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Redefine replaces an index definition and schedules a full rebuild.
func (r *Registry) Redefine(idx *Index) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.indexes[idx.Name]; ok {
		if err := r.Drop(idx.Name); err != nil { // HAZ lock-reentry-under-defer
			return err
		}
	}
	r.indexes[idx.Name] = idx
	r.pending = append(r.pending, idx.Name)
	return nil
}

// Drop removes the index called name.
func (r *Registry) Drop(name string) error {
	r.mu.Lock()
	if _, ok := r.indexes[name]; !ok {
		r.mu.Unlock()
		return fmt.Errorf("kv: no index %q", name)
	}
	delete(r.indexes, name)
	r.mu.Unlock()
	return nil
}

// Lookup returns a copy of the index definition called name.
func (r *Registry) Lookup(name string) (Index, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	idx, ok := r.indexes[name]
	if !ok {
		return Index{}, false
	}
	cp := *idx
	cp.Fields = append([]string(nil), idx.Fields...)
	return cp, true
}

// TakePending returns and clears the names waiting to be built.
func (r *Registry) TakePending() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.pending
	r.pending = nil
	return p
}
