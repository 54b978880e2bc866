// Package shutdown runs the SFU's cleanup hooks (stop accepting, tear down
// rooms, finish recordings, flush stats) in reverse order of registration,
// each bounded by its own timeout.
package shutdown

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

type hook struct {
	name string
	fn   func(context.Context) error
}

// Group is an ordered set of shutdown hooks.
type Group struct {
	log *log.Logger

	mu    sync.Mutex
	hooks []hook
	done  bool
}

// New creates an empty group.
func New(lg *log.Logger) *Group {
	return &Group{log: lg}
}

// Add registers a hook. Hooks run newest first.
func (g *Group) Add(name string, fn func(context.Context) error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done {
		panic("shutdown: Add called after Run")
	}
	g.hooks = append(g.hooks, hook{name: name, fn: fn})
}

// Run executes the hooks newest first, each bounded by perHook. It returns
// the joined errors of the hooks that failed.
func (g *Group) Run(ctx context.Context, perHook time.Duration) error {
	g.mu.Lock()
	if g.done {
		g.mu.Unlock()
		return errors.New("shutdown: already ran")
	}
	g.done = true
	hooks := g.hooks
	g.mu.Unlock()

	var errs []error
	for i := len(hooks) - 1; i >= 0; i-- {
		h := hooks[i]
		err := func() error {
			hctx, cancel := context.WithTimeout(ctx, perHook)
			defer cancel()
			return g.runHook(hctx, h)
		}()
		if err != nil {
			g.log.Printf("shutdown: %s: %v", h.name, err)
			errs = append(errs, fmt.Errorf("%s: %w", h.name, err))
		}
	}
	return errors.Join(errs...)
}

// runHook runs one hook, turning a panic into an error so that the
// remaining hooks still run.
func (g *Group) runHook(ctx context.Context, h hook) (err error) {
	defer func() { g.capturePanic(h.name, &err) }()
	return h.fn(ctx)
}

// capturePanic converts a panicking hook into an error.
func (g *Group) capturePanic(name string, errp *error) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		g.log.Printf("shutdown: hook %s panicked: %v", name, r)
		*errp = fmt.Errorf("panic: %v", r)
	}
}

// Len reports how many hooks are registered.
func (g *Group) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.hooks)
}

// WaitGroupContext waits for wg or ctx, whichever comes first.
func WaitGroupContext(ctx context.Context, wg *sync.WaitGroup) error {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
