// Package plugin loads and runs generator plugins. Plugins are third-party
// code compiled into the tool; a panicking plugin must not take the whole
// run down, so every entry point into plugin code converts panics to errors.
package plugin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"runtime/debug"
	"slices"
	"sync"
)

// File is one output produced by a plugin.
type File struct {
	Path string
	Data []byte
}

// Input describes the package being generated for.
type Input struct {
	Package string
	Types   []string
}

// Plugin generates files for an input.
type Plugin interface {
	Name() string
	Generate(ctx context.Context, in *Input) ([]File, error)
}

// Describer is implemented by plugins that have a help text.
type Describer interface{ Describe() string }

// Validator is implemented by plugins that can check an input up front.
type Validator interface {
	Validate(ctx context.Context, in *Input) error
}

// Factory constructs a plugin.
type Factory func() (Plugin, error)

// Registry maps plugin names to factories and remembers loaded instances.
type Registry struct {
	mu        sync.Mutex
	factories map[string]Factory
	loaded    map[string]Plugin
	log       *log.Logger
}

// NewRegistry returns an empty registry logging to logger.
func NewRegistry(logger *log.Logger) *Registry {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Registry{factories: make(map[string]Factory), loaded: make(map[string]Plugin), log: logger}
}

// Register adds a factory under name.
func (r *Registry) Register(name string, f Factory) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.factories[name]; dup {
		return fmt.Errorf("plugin %q registered twice", name)
	}
	r.factories[name] = f
	return nil
}

// RegisterAlias makes alias resolve to the factory registered as target.
func (r *Registry) RegisterAlias(alias, target string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.factories[alias]; dup {
		return fmt.Errorf("plugin %q registered twice", alias)
	}
	f, ok := r.factory(target) // HAZ lock-reentry-under-defer
	if !ok {
		return fmt.Errorf("alias %s: plugin %q is not registered", alias, target)
	}
	r.factories[alias] = f
	return nil
}

// Unregister removes a factory. A plugin that is still loaded must be
// closed first.
func (r *Registry) Unregister(name string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, inUse := r.loaded[name]; inUse {
		return fmt.Errorf("plugin %s is loaded; close it first", name)
	}
	delete(r.factories, name)
	r.mu.Unlock()
	return nil
}

// Rename moves a factory to a new name, under one critical section.
func (r *Registry) Rename(old, name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.factories[old]
	if !ok {
		return fmt.Errorf("plugin %q is not registered", old)
	}
	if _, dup := r.factories[name]; dup {
		return fmt.Errorf("plugin %q registered twice", name)
	}
	delete(r.factories, old)
	r.factories[name] = f
	return nil
}

func (r *Registry) factory(name string) (Factory, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.factories[name]
	return f, ok
}

// Load instantiates plugin name and remembers it for CloseAll.
func (r *Registry) Load(name string) (Plugin, error) {
	f, ok := r.factory(name)
	if !ok {
		return nil, fmt.Errorf("plugin %q is not registered", name)
	}
	p, err := instantiate(name, f)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.loaded[name] = p
	r.mu.Unlock()
	return p, nil
}

// instantiate calls f, turning a panic in the plugin's constructor into an
// error for the caller.
func instantiate(name string, f Factory) (p Plugin, err error) {
	defer func() {
		if v := recover(); v != nil {
			p, err = nil, fmt.Errorf("plugin %s: constructor panicked: %v", name, v)
		}
	}()
	p, err = f()
	if err == nil && p == nil {
		err = fmt.Errorf("plugin %s: constructor returned nil", name)
	}
	return p, err
}

// recoverAs converts a panic into an error stored in *errp. It calls
// recover itself, so it works only when deferred directly:
// defer recoverAs(&err, "what").
func recoverAs(errp *error, what string) {
	if v := recover(); v != nil {
		*errp = fmt.Errorf("%s: panic: %v\n%s", what, v, debug.Stack())
	}
}

// Run loads plugin name and generates files for in.
func (r *Registry) Run(ctx context.Context, name string, in *Input) (files []File, err error) {
	p, err := r.Load(name)
	if err != nil {
		return nil, err
	}
	defer recoverAs(&err, "plugin "+name)
	return p.Generate(ctx, in)
}

func (r *Registry) snapshotLoaded() []Plugin {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Plugin, 0, len(r.loaded))
	for _, name := range slices.Sorted(maps.Keys(r.loaded)) {
		out = append(out, r.loaded[name])
	}
	return out
}

// Names lists registered plugins, sorted.
func (r *Registry) Names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.factories))
}

// CloseAll closes every loaded plugin that holds resources.
func (r *Registry) CloseAll() error {
	r.mu.Lock()
	loaded := r.loaded
	r.loaded = make(map[string]Plugin)
	r.mu.Unlock()
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(loaded)) {
		errs = append(errs, r.closePlugin(name, loaded[name]))
	}
	return errors.Join(errs...)
}

func (r *Registry) closePlugin(name string, p Plugin) error {
	c, ok := p.(io.Closer)
	if !ok {
		return nil
	}
	defer logPanic(r.log, "plugin "+name+" Close", recover()) // HAZ recover-ineffective
	if err := c.Close(); err != nil {
		return fmt.Errorf("plugin %s: close: %w", name, err)
	}
	return nil
}

// logPanic logs a recovered panic value, if any.
func logPanic(l *log.Logger, what string, v any) {
	if v != nil {
		l.Printf("%s panicked: %v", what, v)
	}
}
