// Package plugin implements the plugin host: a registry of plugin factories,
// the host that owns loaded instances, lifecycle hooks and invocation helpers.
package plugin

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Config is the flat key/value configuration handed to a plugin.
type Config map[string]string

// Request is one call into a plugin.
type Request struct {
	Op      string
	Payload []byte
}

// Response is a plugin's answer to a Request.
type Response struct {
	Status int
	Body   []byte
}

// Plugin is implemented by every plugin the host can load.
type Plugin interface {
	Name() string
	Init(ctx context.Context, cfg Config) error
	Handle(ctx context.Context, req Request) (Response, error)
	Close() error
}

// Background is implemented by plugins that run a loop for their lifetime.
type Background interface {
	Run(ctx context.Context)
}

// Factory builds a plugin from its configuration.
type Factory func(Config) (Plugin, error)

// Errors returned by the host.
var (
	ErrNotLoaded     = errors.New("plugin: not loaded")
	ErrUnknown       = errors.New("plugin: unknown plugin")
	ErrPaused        = errors.New("plugin: paused")
	ErrStale         = errors.New("plugin: stale session")
	ErrCorrupt       = errors.New("plugin: state corrupt")
	ErrRateLimited   = errors.New("plugin: rate limited")
	ErrAlreadyLoaded = errors.New("plugin: already loaded")
)

// Registry maps plugin names (and aliases) to factories.
type Registry struct {
	sync.RWMutex
	factories map[string]Factory
	aliases   map[string]string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{factories: make(map[string]Factory), aliases: make(map[string]string)}
}

// Register adds a factory under name.
func (r *Registry) Register(name string, f Factory) error {
	r.Lock()
	defer r.Unlock()
	if _, dup := r.factories[name]; dup {
		return fmt.Errorf("plugin: %q registered twice", name)
	}
	r.factories[name] = f
	return nil
}

// Lookup returns the factory registered under name or one of its aliases.
func (r *Registry) Lookup(name string) (Factory, bool) {
	r.RLock()
	defer r.RUnlock()
	return r.lookupLocked(name)
}

// lookupLocked resolves name; the caller holds the registry lock.
func (r *Registry) lookupLocked(name string) (Factory, bool) {
	if target, ok := r.aliases[name]; ok {
		name = target
	}
	f, ok := r.factories[name]
	return f, ok
}

// Alias makes alias resolve to target, which must already be registered.
func (r *Registry) Alias(alias, target string) error {
	r.Lock()
	defer r.Unlock()
	if _, ok := r.lookupLocked(target); !ok {
		return fmt.Errorf("%w: %s", ErrUnknown, target)
	}
	r.aliases[alias] = target
	return nil
}

// Names returns the registered plugin names in order.
func (r *Registry) Names() []string {
	r.RLock()
	defer r.Unlock() // HAZ defer-lock-mismatch
	names := make([]string, 0, len(r.factories))
	for n := range r.factories {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Resolve returns the factories for names, failing on the first unknown one.
func (r *Registry) Resolve(names []string) ([]Factory, error) {
	r.RLock()
	defer r.RUnlock()
	out := make([]Factory, 0, len(names))
	for _, n := range names {
		f, ok := r.Lookup(n) // HAZ lock-reentry-under-defer
		if !ok {
			return nil, fmt.Errorf("%w: %s", ErrUnknown, n)
		}
		out = append(out, f)
	}
	return out, nil
}
