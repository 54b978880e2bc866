// Package shutdown coordinates graceful termination of the daemons: it turns
// SIGINT/SIGTERM into context cancellation and runs registered cleanup hooks
// in reverse order with a deadline.
package shutdown

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Hook is a cleanup function bounded by ctx.
type Hook struct {
	Name string
	Fn   func(ctx context.Context) error
}

// Hooks runs cleanup functions in LIFO order.
type Hooks struct {
	mu    sync.Mutex
	hooks []Hook
	ran   bool
}

// Add registers a hook.
func (h *Hooks) Add(name string, fn func(ctx context.Context) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hooks = append(h.hooks, Hook{Name: name, Fn: fn})
}

// take returns the hooks once; later calls get nil.
func (h *Hooks) take() []Hook {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ran {
		return nil
	}
	h.ran = true
	return h.hooks
}

// Run executes the hooks in reverse order, each bounded by the overall
// timeout, and joins their errors. The mutex is not held while hooks run,
// so a hook may call Add without deadlocking.
func (h *Hooks) Run(timeout time.Duration) error {
	hooks := h.take()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var errs []error
	for i := len(hooks) - 1; i >= 0; i-- {
		if err := runHook(ctx, hooks[i]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", hooks[i].Name, err))
		}
	}
	return errors.Join(errs...)
}

// runHook turns a hook panic into an error.
func runHook(ctx context.Context, hk Hook) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return hk.Fn(ctx)
}

// Len returns the number of registered hooks.
func (h *Hooks) Len() int {
	h.mu.Lock()
	n := len(h.hooks)
	h.mu.Unlock()
	return n
}

// Context returns a context cancelled on SIGINT or SIGTERM.
func Context(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}

// Wait blocks until a termination signal arrives or ctx ends and returns
// the signal (nil when ctx ended).
func Wait(ctx context.Context) os.Signal {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(ch)
	select {
	case s := <-ch:
		return s
	case <-ctx.Done():
		return nil
	}
}

// ExitCode maps a termination signal to the conventional exit status.
func ExitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// Reload returns a channel that receives on SIGHUP and a stop function.
// The signal channel is buffered as signal.Notify requires.
func Reload() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	return ch, func() { signal.Stop(ch) }
}
