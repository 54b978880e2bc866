// Package plugin implements the interface-based plugin registry used by the
// daemons. Plugins are compiled in and register themselves from init.
package plugin

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Plugin is implemented by every compiled-in extension.
type Plugin interface {
	Name() string
	Init(cfg map[string]string) error
	Run(ctx context.Context) error
	Close() error
}

// Registry holds the known plugins by name.
type Registry struct {
	mu      sync.Mutex
	plugins map[string]Plugin
	order   []string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{plugins: make(map[string]Plugin)}
}

// ErrDuplicate is returned when a name is registered twice.
var ErrDuplicate = errors.New("plugin: duplicate name")

// Has reports whether name is registered.
func (r *Registry) Has(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.plugins[name]
	return ok
}

// Register adds p to the registry.
func (r *Registry) Register(p Plugin) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Has(p.Name()) { // HAZ lock-reentry-under-defer
		return fmt.Errorf("%w: %s", ErrDuplicate, p.Name())
	}
	r.plugins[p.Name()] = p
	r.order = append(r.order, p.Name())
	return nil
}

// hasLocked is Has for callers that already hold r.mu.
func (r *Registry) hasLocked(name string) bool {
	_, ok := r.plugins[name]
	return ok
}

// RegisterOnce adds p unless a plugin of that name is already present.
func (r *Registry) RegisterOnce(p Plugin) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hasLocked(p.Name()) { // ok: lock-free helper
		return false
	}
	r.plugins[p.Name()] = p
	r.order = append(r.order, p.Name())
	return true
}

// Get returns the plugin registered under name.
func (r *Registry) Get(name string) (Plugin, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.plugins[name]
	return p, ok
}

// Unregister removes and closes the named plugin.
func (r *Registry) Unregister(name string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	p, ok := r.plugins[name]
	if !ok {
		return fmt.Errorf("plugin: unknown %q", name)
	}
	delete(r.plugins, name)
	r.order = removeName(r.order, name)
	r.mu.Unlock()
	return p.Close()
}

// Remove removes the named plugin without closing it; every path unlocks.
func (r *Registry) Remove(name string) (Plugin, error) {
	r.mu.Lock()
	p, ok := r.plugins[name]
	if !ok {
		r.mu.Unlock()
		return nil, fmt.Errorf("plugin: unknown %q", name)
	}
	delete(r.plugins, name)
	r.order = removeName(r.order, name)
	r.mu.Unlock()
	return p, nil
}

func removeName(names []string, name string) []string {
	out := names[:0]
	for _, n := range names {
		if n != name {
			out = append(out, n)
		}
	}
	return out
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	r.mu.Lock()
	names := make([]string, 0, len(r.plugins))
	for n := range r.plugins {
		names = append(names, n)
	}
	r.mu.Unlock()
	sort.Strings(names)
	return names
}

// snapshot copies the plugins in registration order.
func (r *Registry) snapshot() []Plugin {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Plugin, 0, len(r.order))
	for _, n := range r.order {
		out = append(out, r.plugins[n])
	}
	return out
}

// Each calls fn for every plugin without holding the lock during the call.
func (r *Registry) Each(fn func(Plugin) error) error {
	for _, p := range r.snapshot() {
		if err := fn(p); err != nil {
			return fmt.Errorf("%s: %w", p.Name(), err)
		}
	}
	return nil
}

// Shutdown closes every plugin in reverse registration order.
func (r *Registry) Shutdown() error {
	plugins := r.snapshot()
	r.mu.Lock()
	r.plugins = make(map[string]Plugin)
	r.order = nil
	r.mu.Unlock()
	defer func() error { // HAZ defer-ineffective-return
		for i := len(plugins) - 1; i >= 0; i-- {
			if err := plugins[i].Close(); err != nil {
				return fmt.Errorf("close %s: %w", plugins[i].Name(), err)
			}
		}
		return nil
	}()
	return nil
}

// CloseAll closes every plugin in reverse order and returns the first error.
func (r *Registry) CloseAll() (err error) {
	plugins := r.snapshot()
	defer func() {
		for i := len(plugins) - 1; i >= 0; i-- {
			if cerr := plugins[i].Close(); cerr != nil && err == nil {
				err = fmt.Errorf("close %s: %w", plugins[i].Name(), cerr)
			}
		}
	}()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.plugins = make(map[string]Plugin)
	r.order = nil
	return nil
}
