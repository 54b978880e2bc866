package pool

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// ForEach calls fn for every item with at most limit calls in flight.
func ForEach[T any](ctx context.Context, items []T, limit int, fn func(context.Context, T) error) error {
	if limit < 1 {
		limit = 1
	}
	sem := make(chan struct{}, limit)
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			errs[i] = fn(ctx, it)
			<-sem
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// MapConcurrent applies fn to every item with at most limit calls in flight
// and cancels the remaining calls after the first failure.
func MapConcurrent[T, R any](ctx context.Context, items []T, limit int, fn func(context.Context, T) (R, error)) ([]R, error) {
	if limit < 1 {
		limit = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, limit)
	out := make([]R, len(items))
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			r, err := fn(ctx, it)
			<-sem
			if err != nil {
				cancel()
			}
			out[i], errs[i] = r, err
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// Go runs fn on its own goroutine. A panic in fn is recovered on that
// goroutine and delivered as an error on the returned channel.
func Go(fn func() error) <-chan error {
	errc := make(chan error, 1)
	go func() {
		errc <- safeCall(fn)
	}()
	return errc
}

func safeCall(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pool: goroutine panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return fn()
}

// Spawn starts fn(0) … fn(n-1) on their own goroutines; wait blocks until
// all have returned. Each goroutine sees its own i (Go 1.22 loop semantics).
func Spawn(n int, fn func(i int)) (wait func()) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i)
		}()
	}
	return wg.Wait
}
