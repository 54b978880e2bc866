// Package fanout runs pipeline stages concurrently: parallel maps, merges,
// first-result races and cache warming.
package fanout

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Map applies fn to every item concurrently and returns the results in
// input order together with the joined errors.
func Map[T, R any](ctx context.Context, items []T, fn func(context.Context, T) (R, error)) ([]R, error) {
	out := make([]R, len(items))
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := fn(ctx, it)
			if err != nil {
				errs[i] = fmt.Errorf("item %d: %w", i, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			out[i] = r
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// MapBounded is Map with at most limit calls in flight.
func MapBounded[T, R any](ctx context.Context, limit int, items []T, fn func(context.Context, T) (R, error)) ([]R, error) {
	out := make([]R, len(items))
	errs := make([]error, len(items))
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			defer wg.Done()
			r, err := fn(ctx, it)
			if err != nil {
				errs[i] = fmt.Errorf("item %d: %w", i, err)
				return
			}
			out[i] = r
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// ForEach calls fn for every item concurrently. Done is called exactly once
// per goroutine, explicitly, on the only path out of the goroutine; fn
// reports failures through its error rather than by panicking.
func ForEach[T any](items []T, fn func(T) error) []error {
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	wg.Add(len(items))
	for i, it := range items {
		go func() {
			errs[i] = safeCall(fn, it)
			wg.Done()
		}()
	}
	wg.Wait()
	return errs
}

// safeCall runs fn and converts a panic into an error.
func safeCall[T any](fn func(T) error, v T) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn(v)
}
