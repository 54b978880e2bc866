package plugin

import (
	"context"
	"fmt"
	"log"
	"slices"
	"sync"
)

// Stage names a point in the plugin lifecycle at which hooks run.
type Stage string

// Lifecycle stages.
const (
	StageBeforeLoad Stage = "before-load"
	StageAfterLoad  Stage = "after-load"
	StageUnload     Stage = "unload"
)

// HookFunc is a synchronous lifecycle hook.
type HookFunc func(ctx context.Context) error

// Hooks holds lifecycle hooks, keyed by stage, and per-plugin teardowns.
type Hooks struct {
	mu       sync.Mutex
	handlers map[Stage][]HookFunc
	async    map[Stage][]func(context.Context)
	teardown map[string]func()
	logger   *log.Logger
}

// NewHooks returns an empty hook set.
func NewHooks(logger *log.Logger) *Hooks {
	return &Hooks{
		handlers: make(map[Stage][]HookFunc),
		async:    make(map[Stage][]func(context.Context)),
		teardown: make(map[string]func()),
		logger:   logger,
	}
}

// Add registers a synchronous hook for stage.
func (hk *Hooks) Add(stage Stage, fn HookFunc) {
	hk.mu.Lock()
	defer hk.mu.Unlock()
	hk.handlers[stage] = append(hk.handlers[stage], fn)
}

// AddAsync registers a hook that runs in its own goroutine.
func (hk *Hooks) AddAsync(stage Stage, fn func(context.Context)) {
	hk.mu.Lock()
	defer hk.mu.Unlock()
	hk.async[stage] = append(hk.async[stage], fn)
}

// OnTeardown registers the cleanup that runs after every job of plugin name.
func (hk *Hooks) OnTeardown(name string, fn func()) {
	hk.mu.Lock()
	defer hk.mu.Unlock()
	hk.teardown[name] = fn
}

// teardownFor returns the teardown registered for name, if any.
func (hk *Hooks) teardownFor(name string) (func(), bool) {
	hk.mu.Lock()
	defer hk.mu.Unlock()
	fn, ok := hk.teardown[name]
	return fn, ok && fn != nil
}

// Run calls every synchronous hook of stage in registration order. The hooks
// run without the lock held, so they may register further hooks.
func (hk *Hooks) Run(ctx context.Context, stage Stage) error {
	hk.mu.Lock()
	fns := slices.Clone(hk.handlers[stage])
	hk.mu.Unlock()
	for i, fn := range fns {
		if err := fn(ctx); err != nil {
			return fmt.Errorf("hook %s#%d: %w", stage, i, err)
		}
	}
	return nil
}

// FireAsync starts every asynchronous hook of stage.
func (hk *Hooks) FireAsync(ctx context.Context, stage Stage) (err error) {
	defer func() {
		if r := recover(); r != nil {
			hk.logger.Printf("hooks %s: panic while dispatching: %v", stage, r)
			err = fmt.Errorf("hooks %s: %v", stage, r)
		}
	}()
	hk.mu.Lock()
	fns := slices.Clone(hk.async[stage])
	hk.mu.Unlock()
	for _, fn := range fns {
		go fn(ctx) // HAZ goroutine-outside-recover
	}
	return nil
}

// RunJob calls plugin name and then runs the plugin's teardown.
func (h *Host) RunJob(ctx context.Context, name string, req Request) (Response, error) {
	inst, err := h.instance(name)
	if err != nil {
		return Response{}, err
	}
	h.hooks.mu.Lock()
	teardown := h.hooks.teardown[name]
	h.hooks.mu.Unlock()
	defer teardown() // HAZ defer-nil-func
	return inst.call(ctx, req)
}

// RunJobChecked is RunJob for plugins that may have no teardown.
func (h *Host) RunJobChecked(ctx context.Context, name string, req Request) (Response, error) {
	inst, err := h.instance(name)
	if err != nil {
		return Response{}, err
	}
	if teardown, ok := h.hooks.teardownFor(name); ok {
		defer teardown()
	}
	return inst.call(ctx, req)
}
