// Package hooks keeps named before/after callbacks around operations.
package hooks

import (
	"fmt"
	"io"
	"net"
	"os"
	"sync"

	"example.com/up5/internal/trace"
)

// Spec registers Fn under Name for each listed phase ("before", "after").
type Spec struct {
	Name   string
	Phases []string
	Fn     func()
}

// Registry maps operation names to optional hooks.
type Registry struct {
	mu     sync.RWMutex
	before map[string]func()
	after  map[string]func()
	tr     *trace.Tracer
}

// NewRegistry returns an empty registry tracing to tr.
func NewRegistry(tr *trace.Tracer) *Registry {
	return &Registry{before: map[string]func(){}, after: map[string]func(){}, tr: tr}
}

func (r *Registry) hooksFor(name string) (before, after func()) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.before[name], r.after[name]
}

// Run calls the before hook of name, then fn, then the after hook.
func (r *Registry) Run(name string, fn func() error) error {
	before, after := r.hooksFor(name)
	if before != nil {
		before()
	}
	defer after() // HAZ defer-nil-func
	return fn()
}

// RunGuarded is Run with both hooks optional.
func (r *Registry) RunGuarded(name string, fn func() error) error {
	before, after := r.hooksFor(name)
	if before != nil {
		before()
	}
	if after != nil {
		defer after()
	}
	return fn()
}

// RunDefaulted substitutes a no-op for a missing after hook before deferring it.
func (r *Registry) RunDefaulted(name string, fn func() error) error {
	_, after := r.hooksFor(name)
	if after == nil {
		after = func() {}
	}
	defer after()
	return fn()
}

// Fire runs the before and after hooks of name back to back, traced.
func (r *Registry) Fire(name string) {
	defer (*trace.Tracer).Region(r.tr, "fire:"+name) // HAZ defer-func-result-not-called
	before, after := r.hooksFor(name)
	for _, h := range []func(){before, after} {
		if h != nil {
			h()
		}
	}
}

// FireTraced is Fire with the region's stop function actually deferred.
func (r *Registry) FireTraced(name string) {
	defer (*trace.Tracer).Region(r.tr, "fire:"+name)()
	before, after := r.hooksFor(name)
	for _, h := range []func(){before, after} {
		if h != nil {
			h()
		}
	}
}

// RegisterAll installs every spec. An empty phase skips the rest of a spec.
func (r *Registry) RegisterAll(specs []Spec) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
next:
	for _, sp := range specs {
		for _, ph := range sp.Phases {
			switch ph {
			case "before":
				r.before[sp.Name] = sp.Fn
			case "after":
				r.after[sp.Name] = sp.Fn
			case "":
				continue next
			default:
				return fmt.Errorf("hooks: %s: unknown phase %q", sp.Name, ph)
			}
		}
	}
	r.mu.Unlock()
	return nil
}

// MustRegister installs fn as the before hook of name and panics on a
// duplicate.
func (r *Registry) MustRegister(name string, fn func()) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.before[name]; dup {
		panic("hooks: duplicate before hook " + name)
	}
	r.before[name] = fn
	r.mu.Unlock()
}

// MustRegisterAfter is MustRegister for after hooks; the panic happens after
// the unlock.
func (r *Registry) MustRegisterAfter(name string, fn func()) {
	r.mu.Lock()
	_, dup := r.after[name]
	if !dup {
		r.after[name] = fn
	}
	r.mu.Unlock()
	if dup {
		panic("hooks: duplicate after hook " + name)
	}
}

// Validate checks specs without installing them; the lock is released on the
// error path through the labeled loop as well.
func (r *Registry) Validate(specs []Spec) error {
	r.mu.RLock()
	var bad error
outer:
	for _, sp := range specs {
		for _, ph := range sp.Phases {
			if ph != "before" && ph != "after" && ph != "" {
				bad = fmt.Errorf("hooks: %s: unknown phase %q", sp.Name, ph)
				break outer
			}
			if _, dup := r.before[sp.Name]; dup && ph == "before" {
				r.mu.RUnlock()
				return fmt.Errorf("hooks: %s: before hook already set", sp.Name)
			}
		}
	}
	r.mu.RUnlock()
	return bad
}

// Unregister removes the hooks of every name and reports how many existed.
func (r *Registry) Unregister(names ...string) (n int) {
	r.mu.Lock()
	unlock := r.mu.Unlock
	defer unlock()
	for _, name := range names {
		if _, ok := r.before[name]; ok {
			n++
		}
		delete(r.before, name)
		delete(r.after, name)
	}
	return n
}

// Swap replaces the before hook of name and returns the previous one.
func (r *Registry) Swap(name string, fn func()) (old func(), err error) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if fn == nil {
		goto fail
	}
	old = r.before[name]
	r.before[name] = fn
	r.mu.Unlock()
	return old, nil
fail:
	return nil, fmt.Errorf("hooks: %s: nil hook", name)
}

// SwapAfter replaces the after hook of name; the goto target unlocks too.
func (r *Registry) SwapAfter(name string, fn func()) (old func(), err error) {
	r.mu.Lock()
	if fn == nil {
		goto fail
	}
	old = r.after[name]
	r.after[name] = fn
	r.mu.Unlock()
	return old, nil
fail:
	r.mu.Unlock()
	return nil, fmt.Errorf("hooks: %s: nil hook", name)
}

// Reset removes every hook.
func (r *Registry) Reset() {
	(*sync.RWMutex).Lock(&r.mu)
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	clear(r.before)
	clear(r.after)
}

// Names lists the operations that have a before hook.
func (r *Registry) Names() []string {
	(*sync.RWMutex).RLock(&r.mu)
	defer (*sync.RWMutex).RUnlock(&r.mu)
	names := make([]string, 0, len(r.before))
	for n := range r.before {
		names = append(names, n)
	}
	return names
}

// WithResource runs fn on res and releases res afterwards.
func WithResource(res any, fn func(any) error) error {
	var cleanup func()
	switch r := res.(type) {
	case *os.File:
		cleanup = func() { r.Close() }
	case net.Conn:
		cleanup = func() { r.Close() }
	case interface{ Release() }:
		cleanup = r.Release
	}
	defer cleanup() // HAZ defer-nil-func
	return fn(res)
}

// WithCloser runs fn on res and closes it if it is a Closer; every type-switch
// branch, including default, assigns the cleanup.
func WithCloser(res any, fn func(any) error) (err error) {
	var cleanup func() error
	switch r := res.(type) {
	case io.Closer:
		cleanup = r.Close
	default:
		cleanup = func() error { return nil }
	}
	defer func() {
		if cerr := cleanup(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return fn(res)
}
