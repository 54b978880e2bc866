package controller

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"example.com/k8scontrollers/pkg/api"
)

// FinalizerFunc performs the external cleanup of one finalizer.
type FinalizerFunc func(ctx context.Context, w *api.Widget) error

// FinalizerRegistry holds the cleanup steps run before a Widget goes away.
type FinalizerRegistry struct {
	mu       sync.RWMutex
	order    []string
	funcs    map[string]FinalizerFunc
	cleanups map[string]func()
}

// NewFinalizerRegistry returns an empty registry.
func NewFinalizerRegistry() *FinalizerRegistry {
	return &FinalizerRegistry{
		funcs:    map[string]FinalizerFunc{},
		cleanups: map[string]func(){},
	}
}

// Register adds a named finalizer; names must be unique.
func (f *FinalizerRegistry) Register(name string, fn FinalizerFunc) error {
	if fn == nil {
		return errors.New("finalizer: nil func")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, dup := f.funcs[name]; dup {
		return fmt.Errorf("finalizer %q already registered", name)
	}
	f.funcs[name] = fn
	f.order = append(f.order, name)
	return nil
}

// RegisterCleanup attaches a local cleanup run after the finalizer name.
func (f *FinalizerRegistry) RegisterCleanup(name string, cleanup func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups[name] = cleanup
}

// Finalize runs every finalizer in registration order and joins errors.
func (f *FinalizerRegistry) Finalize(ctx context.Context, w *api.Widget) error {
	f.mu.RLock()
	names := slices.Clone(f.order)
	f.mu.RUnlock()
	var errs []error
	for _, name := range names {
		if err := f.runWithCleanup(ctx, name, w); err != nil {
			errs = append(errs, fmt.Errorf("finalizer %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

func (f *FinalizerRegistry) runWithCleanup(ctx context.Context, name string, w *api.Widget) error {
	f.mu.RLock()
	fn, ok := f.funcs[name]
	cleanup := f.cleanups[name]
	f.mu.RUnlock()
	if !ok {
		return fmt.Errorf("unknown finalizer %q", name)
	}
	defer cleanup() // HAZ defer-nil-func
	return fn(ctx, w)
}

// FinalizeOne runs a single finalizer, and its cleanup when one exists.
func (f *FinalizerRegistry) FinalizeOne(ctx context.Context, name string, w *api.Widget) error {
	f.mu.RLock()
	fn := f.funcs[name]
	cleanup, hasCleanup := f.cleanups[name]
	f.mu.RUnlock()
	if fn == nil {
		return fmt.Errorf("unknown finalizer %q", name)
	}
	if hasCleanup && cleanup != nil {
		defer cleanup()
	}
	return fn(ctx, w)
}

// Names returns the registered finalizers in order.
func (f *FinalizerRegistry) Names() []string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return slices.Clone(f.order)
}
