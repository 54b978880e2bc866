// Package component defines the Start/Shutdown lifecycle shared by receivers,
// processors, exporters and extensions, and a Runner that owns a component's
// background goroutines.
package component

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ID names a component instance, e.g. "otlphttp/backend".
type ID struct {
	Type string
	Name string
}

// String renders the ID the way it appears in configuration.
func (id ID) String() string {
	if id.Name == "" {
		return id.Type
	}
	return id.Type + "/" + id.Name
}

// Host is what the pipeline offers to the components it starts.
type Host interface {
	ReportStatus(id ID, ev StatusEvent)
}

// Component is anything with a lifecycle.
type Component interface {
	Start(ctx context.Context, host Host) error
	Shutdown(ctx context.Context) error
}

// ErrAlreadyStarted is returned by a second Start.
var ErrAlreadyStarted = errors.New("component already started")

// Runner owns the goroutines of one component. Start hands out a context that
// lives until Stop; Stop cancels it and joins every goroutine started by Go.
type Runner struct {
	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// Start returns the context for background work. The context is detached from
// the caller's start context, which usually carries a start-up deadline.
func (r *Runner) Start(parent context.Context) (context.Context, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		return nil, ErrAlreadyStarted
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	r.cancel = cancel
	r.started = true
	return ctx, nil
}

// Go runs fn on a goroutine that Stop waits for.
func (r *Runner) Go(ctx context.Context, fn func(context.Context)) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		fn(ctx)
	}()
}

// Stop cancels the background context and waits for the goroutines, giving up
// when ctx expires. Stopping a runner that never started is a no-op.
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	if !r.started {
		r.mu.Unlock()
		return nil
	}
	r.started = false
	cancel := r.cancel
	r.mu.Unlock()

	cancel()
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for component goroutines: %w", ctx.Err())
	}
}
