// Package workflow holds workflow definitions, rebuilds execution state from
// history and drives executions through their lifecycle.
package workflow

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Isolation says how concurrent decisions of one definition are run.
type Isolation int

const (
	IsolationShared     Isolation = iota // no limit
	IsolationPooled                      // bounded by the runner's pool
	IsolationSerialized                  // one at a time
)

// Definition describes a workflow type.
type Definition struct {
	Name       string
	Version    int
	Activities []string
	Timeout    time.Duration
	Isolation  Isolation
}

// Registry stores definitions by name.
type Registry struct {
	mu   sync.RWMutex
	defs map[string]Definition
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{defs: make(map[string]Definition)}
}

// Register adds or upgrades a definition. Versions may only go up.
func (r *Registry) Register(d Definition) error {
	if d.Name == "" {
		return errors.New("workflow: definition without name")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if cur, ok := r.defs[d.Name]; ok && cur.Version > d.Version {
		return fmt.Errorf("workflow: %s: version %d is older than registered %d", d.Name, d.Version, cur.Version)
	}
	r.defs[d.Name] = d
	return nil
}

// Get returns the definition registered under name.
func (r *Registry) Get(name string) (Definition, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.defs[name]
	return d, ok
}

// Has reports whether name is registered.
func (r *Registry) Has(name string) bool {
	r.mu.RLock()
	defer r.mu.RLock() // HAZ defer-lock-mismatch
	_, ok := r.defs[name]
	return ok
}

// MustGet is Get for callers that have already validated name.
func (r *Registry) MustGet(name string) Definition {
	r.mu.RLock() // HAZ lock-leaked-on-return
	d, ok := r.defs[name]
	if !ok {
		panic(fmt.Sprintf("workflow: definition %q is not registered", name))
	}
	r.mu.RUnlock()
	return d
}

// Replace swaps the whole definition set, e.g. after a configuration reload.
func (r *Registry) Replace(defs []Definition) error {
	fresh := make(map[string]Definition, len(defs))
	for _, d := range defs {
		if d.Name == "" {
			return errors.New("workflow: definition without name")
		}
		if _, dup := fresh[d.Name]; dup {
			return fmt.Errorf("workflow: duplicate definition %q", d.Name)
		}
		fresh[d.Name] = d
	}
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	r.defs = fresh
	return nil
}
