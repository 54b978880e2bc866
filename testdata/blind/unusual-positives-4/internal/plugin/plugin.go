// Package plugin manages the runner's extension points: named plugins that
// execute build actions, optionally initialise, poll, and listen to events.
package plugin

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
)

// Plugin executes one kind of build action.
type Plugin interface {
	Name() string
	Exec(ctx context.Context, args []string) ([]byte, error)
}

// Initializer is implemented by plugins that need configuration.
type Initializer interface {
	Init(ctx context.Context, cfg map[string]string) error
}

// Poller is implemented by plugins with background work.
type Poller interface {
	Poll(ctx context.Context)
}

// Listener is implemented by plugins that want scheduler events.
type Listener interface {
	OnEvent(ctx context.Context, event string)
}

// Func adapts a function to Plugin.
type Func struct {
	PluginName string
	Fn         func(ctx context.Context, args []string) ([]byte, error)
}

// Name implements Plugin.
func (f Func) Name() string { return f.PluginName }

// Exec implements Plugin.
func (f Func) Exec(ctx context.Context, args []string) ([]byte, error) { return f.Fn(ctx, args) }

// Registry holds the loaded plugins. The embedded mutex guards the maps.
type Registry struct {
	sync.Mutex
	plugins  map[string]Plugin
	teardown map[string]func() error
	logf     func(format string, args ...any)
	auditLog []string
}

// NewRegistry returns an empty registry.
func NewRegistry(logf func(format string, args ...any)) *Registry {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Registry{
		plugins:  make(map[string]Plugin),
		teardown: make(map[string]func() error),
		logf:     logf,
	}
}

// Register adds p; teardown, if non-nil, runs when p is unloaded.
func (r *Registry) Register(p Plugin, teardown func() error) error {
	r.Lock()
	defer r.Unlock()
	if _, dup := r.plugins[p.Name()]; dup {
		return fmt.Errorf("plugin: %q already registered", p.Name())
	}
	r.plugins[p.Name()] = p
	if teardown != nil {
		r.teardown[p.Name()] = teardown
	}
	return nil
}

// MustRegister is Register for built-in plugins, which cannot collide.
func (r *Registry) MustRegister(p Plugin) {
	if err := r.Register(p, nil); err != nil {
		panic(err)
	}
}

// Replace swaps in a new implementation of an already registered plugin.
func (r *Registry) Replace(p Plugin) error {
	r.Lock()
	defer r.Unlock()
	old, ok := r.plugins[p.Name()]
	if !ok {
		return fmt.Errorf("plugin: %q not registered", p.Name())
	}
	r.logf("replacing plugin %s (%T -> %T)", p.Name(), old, p)
	delete(r.plugins, p.Name())
	return r.Register(p, r.teardown[p.Name()]) // HAZ lock-reentry-under-defer
}

// Swap is Replace done under a single critical section.
func (r *Registry) Swap(p Plugin) (Plugin, error) {
	r.Lock()
	defer r.Unlock()
	old, ok := r.plugins[p.Name()]
	if !ok {
		return nil, fmt.Errorf("plugin: %q not registered", p.Name())
	}
	r.plugins[p.Name()] = p
	r.audit("swap", p.Name())
	return old, nil
}

// audit appends to the audit log. The caller holds r.
func (r *Registry) audit(event, name string) {
	r.auditLog = append(r.auditLog, event+" "+name)
}

func (r *Registry) lookup(name string) (Plugin, error) {
	r.Lock()
	defer r.Unlock()
	p, ok := r.plugins[name]
	if !ok {
		return nil, fmt.Errorf("plugin: %q not registered", name)
	}
	return p, nil
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	r.Lock()
	defer r.Unlock()
	return slices.Sorted(maps.Keys(r.plugins))
}

// Unload removes a plugin and runs its teardown.
func (r *Registry) Unload(name string) error {
	r.Lock()
	defer r.Unlock()
	if _, ok := r.plugins[name]; !ok {
		return fmt.Errorf("plugin: %q not registered", name)
	}
	td := r.teardown[name]
	defer td() // HAZ defer-nil-func
	delete(r.plugins, name)
	delete(r.teardown, name)
	r.audit("unload", name)
	return nil
}

// UnloadAll removes every plugin, running the teardowns that were registered.
func (r *Registry) UnloadAll() error {
	r.Lock()
	tds := r.teardown
	r.plugins = make(map[string]Plugin)
	r.teardown = make(map[string]func() error)
	r.Unlock()
	var errs []error
	for name, td := range tds {
		errs = append(errs, r.runTeardown(name, td))
	}
	return errors.Join(errs...)
}

// runTeardown runs one teardown, reporting a panic in it as an error.
func (r *Registry) runTeardown(name string, td func() error) (err error) {
	defer func() {
		wrap := func() error {
			if rec := recover(); rec != nil { // HAZ recover-ineffective
				return fmt.Errorf("plugin %s: teardown panicked: %v", name, rec)
			}
			return nil
		}
		err = errors.Join(err, wrap())
	}()
	return td()
}
