// Package async has futures and small concurrency combinators. Every
// goroutine started here either finishes on its own (its result channel has
// room for it) or is joined before the starting function returns.
package async

import (
	"context"
	"fmt"
	"time"
)

// Result is a value or an error.
type Result[T any] struct {
	Val T
	Err error
}

// Future is the result of a computation running in its own goroutine.
type Future[T any] struct {
	done chan struct{}
	val  T
	err  error
}

// Start runs fn in a new goroutine. A panic in fn becomes the future's error.
func Start[T any](fn func() (T, error)) *Future[T] {
	f := &Future[T]{done: make(chan struct{})}
	go func() {
		defer close(f.done)
		defer func() {
			if r := recover(); r != nil {
				f.err = fmt.Errorf("async: panic: %v", r)
			}
		}()
		f.val, f.err = fn()
	}()
	return f
}

// Await waits for the result or for ctx to be done.
func (f *Future[T]) Await(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Ready reports whether the result is available.
func (f *Future[T]) Ready() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// Then returns a future for fn applied to f's value.
func Then[T, R any](f *Future[T], fn func(T) (R, error)) *Future[R] {
	return Start(func() (R, error) {
		v, err := f.Await(context.Background())
		if err != nil {
			var zero R
			return zero, err
		}
		return fn(v)
	})
}

// WithTimeout runs fn with a deadline of d. fn keeps running in the
// background after a timeout; its result goes to a buffered channel and is
// dropped.
func WithTimeout[T any](ctx context.Context, d time.Duration, fn func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	ch := make(chan Result[T], 1)
	go func() {
		v, err := fn(ctx)
		ch <- Result[T]{Val: v, Err: err}
	}()
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}
