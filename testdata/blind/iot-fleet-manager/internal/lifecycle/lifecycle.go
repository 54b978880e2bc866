// Package lifecycle coordinates graceful shutdown: components register
// hooks, and the hooks run, each with its own deadline, when fleetd is
// asked to stop.
package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"sync"
	"time"
)

// Hook is one shutdown step.
type Hook struct {
	Name    string
	Timeout time.Duration
	Fn      func(context.Context) error
}

// Group is an ordered set of shutdown hooks.
type Group struct {
	mu    sync.Mutex
	hooks []Hook
	log   *log.Logger
}

// NewGroup returns an empty Group.
func NewGroup(logger *log.Logger) *Group {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Group{log: logger}
}

// Add registers a hook. Hooks run in reverse order of registration.
func (g *Group) Add(name string, timeout time.Duration, fn func(context.Context) error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hooks = append(g.hooks, Hook{Name: name, Timeout: timeout, Fn: fn})
}

func (g *Group) snapshot() []Hook {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Hook(nil), g.hooks...)
}

// Shutdown runs the hooks one after the other, newest first, and returns
// all their errors.
func (g *Group) Shutdown(ctx context.Context) error {
	hooks := g.snapshot()
	var errs []error
	for i := len(hooks) - 1; i >= 0; i-- {
		h := hooks[i]
		start := time.Now()
		err := runHook(ctx, h)
		g.log.Printf("shutdown: %s done in %v (err=%v)", h.Name, time.Since(start), err)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", h.Name, err))
		}
	}
	return errors.Join(errs...)
}

// runHook runs one hook and gives up when its timeout expires; the hook's
// goroutine can still finish later because the result channel has room.
func runHook(ctx context.Context, h Hook) error {
	hctx, cancel := context.WithTimeout(ctx, h.Timeout)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- h.Fn(hctx) }()
	select {
	case err := <-errc:
		return err
	case <-hctx.Done():
		return fmt.Errorf("gave up after %v: %w", h.Timeout, hctx.Err())
	}
}

// ShutdownParallel runs all hooks at once; used when hooks are independent
// and the shutdown budget is tight.
func (g *Group) ShutdownParallel(ctx context.Context) error {
	hooks := g.snapshot()
	errc := make(chan error, len(hooks))
	var wg sync.WaitGroup
	for _, h := range hooks {
		wg.Add(1)
		go func(h Hook) {
			hctx, cancel := context.WithTimeout(ctx, h.Timeout)
			defer cancel()
			if err := h.Fn(hctx); err != nil {
				errc <- fmt.Errorf("%s: %w", h.Name, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}(h)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// WaitForSignal blocks until one of sigs arrives or ctx is done.
func WaitForSignal(ctx context.Context, sigs ...os.Signal) (os.Signal, error) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	defer signal.Stop(ch)
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Drain waits for wg, but not longer than ctx allows.
func Drain(ctx context.Context, wg *sync.WaitGroup) error {
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
