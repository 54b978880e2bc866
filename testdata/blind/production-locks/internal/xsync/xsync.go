// Package xsync holds the hand-written concurrency helpers of the platform
// (we do not vendor x/sync).
package xsync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// Group is a minimal errgroup: the first error cancels the context.
type Group struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	cancel  context.CancelCauseFunc
}

func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{cancel: cancel}, ctx
}

// Go runs f in a new goroutine.
func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done() // ok: deferred
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel(err)
				}
			})
		}
	}()
}

// Wait blocks until every goroutine started by Go has returned.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(g.err)
	}
	return g.err
}

type outcome[T any] struct {
	v   T
	err error
}

// CallWithTimeout runs fn with a deadline and gives up waiting when it passes.
func CallWithTimeout[T any](ctx context.Context, d time.Duration, fn func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	ch := make(chan outcome[T]) // HAZ goroutine-blocked-send
	go func() {
		v, err := fn(ctx)
		ch <- outcome[T]{v: v, err: err}
	}()
	select {
	case o := <-ch:
		return o.v, o.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("call timed out after %s: %w", d, ctx.Err())
	}
}

// Await is CallWithTimeout as fixed in review: the result slot is buffered
// so an abandoned call can still finish.
func Await[T any](ctx context.Context, d time.Duration, fn func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	ch := make(chan outcome[T], 1) // ok: the single sender never blocks
	go func() {
		v, err := fn(ctx)
		ch <- outcome[T]{v: v, err: err}
	}()
	select {
	case o := <-ch:
		return o.v, o.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("call timed out after %s: %w", d, ctx.Err())
	}
}

// LogPanic is deferred directly at the top of background goroutines.
func LogPanic(log *slog.Logger, where string) {
	if r := recover(); r != nil {
		log.Error("recovered panic", "where", where, "panic", r, "stack", string(debug.Stack()))
	}
}

// SafeGo starts fn on a goroutine that logs instead of crashing on panic.
func SafeGo(log *slog.Logger, where string, fn func()) {
	go func() {
		defer LogPanic(log, where)
		fn()
	}()
}

// ParallelMap applies fn to every element concurrently and converts a panic
// into an error.
func ParallelMap[T, R any](ctx context.Context, in []T, fn func(context.Context, T) (R, error)) (out []R, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("parallel map: panic: %v", p)
		}
	}()
	out = make([]R, len(in))
	errs := make([]error, len(in))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			out[i], errs[i] = fn(ctx, v)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// BoundedMap is ParallelMap with a worker limit; every item recovers on its
// own goroutine, so the outer recover only guards the coordinator.
func BoundedMap[T, R any](ctx context.Context, in []T, workers int, fn func(context.Context, T) (R, error)) (out []R, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("bounded map: panic: %v", p)
		}
	}()
	if workers < 1 {
		workers = 1
	}
	out = make([]R, len(in))
	errs := make([]error, len(in))
	idx := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() { // ok: each item is protected by the recover below
			defer wg.Done()
			for i := range idx {
				func() {
					defer func() {
						if p := recover(); p != nil {
							errs[i] = fmt.Errorf("item %d: panic: %v", i, p)
						}
					}()
					out[i], errs[i] = fn(ctx, in[i])
				}()
			}
		}()
	}
	for i := range in {
		idx <- i
	}
	close(idx)
	wg.Wait()
	return out, errors.Join(errs...)
}
