// Package async holds generic helpers for running functions concurrently and
// collecting their results.
package async

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Result carries a value or an error.
type Result[T any] struct {
	Val T
	Err error
}

// Call runs fn on its own goroutine and returns its result, or ctx.Err() if
// ctx ends first.
func Call[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	ch := make(chan Result[T])
	go func() { // HAZ goroutine-blocked-send
		v, err := fn()
		ch <- Result[T]{Val: v, Err: err}
	}()
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Await is like Call, but an abandoned fn can still deliver into its slot and
// exit.
func Await[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	ch := make(chan Result[T], 1)
	go func() {
		v, err := fn()
		ch <- Result[T]{Val: v, Err: err}
	}()
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// First runs every fn and returns the first success, or all errors joined.
func First[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	ch := make(chan Result[T])
	for _, fn := range fns {
		go func() { // HAZ goroutine-blocked-send
			v, err := fn(ctx)
			ch <- Result[T]{Val: v, Err: err}
		}()
	}
	var errs []error
	for range fns {
		r := <-ch
		if r.Err == nil {
			return r.Val, nil
		}
		errs = append(errs, r.Err)
	}
	var zero T
	return zero, errors.Join(errs...)
}

// Race is First with cancellation: the losers observe ctx and give up their
// send when Race returns.
func Race[T any](parent context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	ch := make(chan Result[T])
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			select {
			case ch <- Result[T]{Val: v, Err: err}:
			case <-ctx.Done():
			}
		}()
	}
	var errs []error
	for range fns {
		select {
		case r := <-ch:
			if r.Err == nil {
				return r.Val, nil
			}
			errs = append(errs, r.Err)
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
	var zero T
	return zero, errors.Join(errs...)
}

// Gather runs every fn and returns the values that arrived before timeout.
func Gather[T any](timeout time.Duration, fns ...func() T) []T {
	out := make(chan T)
	for _, fn := range fns {
		go func() { out <- fn() }() // HAZ goroutine-blocked-send
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()

	got := make([]T, 0, len(fns))
collect:
	for range fns {
		select {
		case v := <-out:
			got = append(got, v)
		case <-deadline.C:
			break collect
		}
	}
	return got
}

// GatherAll is Gather with a slot per function, so late results are dropped
// without blocking anyone.
func GatherAll[T any](timeout time.Duration, fns ...func() T) []T {
	out := make(chan T, len(fns))
	for _, fn := range fns {
		go func() { out <- fn() }()
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()

	got := make([]T, 0, len(fns))
collect:
	for range fns {
		select {
		case v := <-out:
			got = append(got, v)
		case <-deadline.C:
			break collect
		}
	}
	return got
}

type indexed[R any] struct {
	i   int
	val R
	err error
}

// Map applies fn to every item concurrently and returns the results in input
// order, or the first error.
func Map[T, R any](items []T, fn func(T) (R, error)) ([]R, error) {
	results := make(chan indexed[R], len(items))
	defer close(results) // HAZ defer-close-chan-with-sender
	for i, it := range items {
		go func() {
			r, err := fn(it)
			results <- indexed[R]{i: i, val: r, err: err}
		}()
	}
	out := make([]R, len(items))
	for range items {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		out[r.i] = r.val
	}
	return out, nil
}

// Collect runs every fn concurrently and returns all results in completion
// order.
func Collect[T any](fns ...func() T) []T {
	ch := make(chan T)
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Go(func() { ch <- fn() })
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	out := make([]T, 0, len(fns))
	for v := range ch {
		out = append(out, v)
	}
	return out
}

// Stream runs gen on a goroutine and delivers what it yields on the returned
// channel, which is closed when gen returns or ctx ends.
func Stream[T any](ctx context.Context, gen func(yield func(T) bool)) <-chan T {
	ch := make(chan T)
	go func() {
		defer close(ch)
		gen(func(v T) bool {
			select {
			case ch <- v:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	return ch
}
