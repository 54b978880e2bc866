// Package group runs related goroutines and waits for all of them, in the
// style of errgroup.
package group

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// Group is a collection of goroutines working on subtasks of one task.
// The zero value is usable and does not cancel anything on error.
type Group struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	cancel  context.CancelCauseFunc
}

// WithContext returns a Group whose derived context is canceled when the
// first goroutine fails or Wait returns.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{cancel: cancel}, ctx
}

// Go runs fn in a new goroutine. The first non-nil error is kept.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := fn(); err != nil {
			g.setErr(err)
		}
	}()
}

// GoSafe is Go for functions that may panic: a panic is returned from Wait
// as an error instead of crashing the process.
func (g *Group) GoSafe(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer func() {
			if r := recover(); r != nil {
				g.setErr(fmt.Errorf("group: panic: %v\n%s", r, debug.Stack()))
			}
		}()
		if err := fn(); err != nil {
			g.setErr(err)
		}
	}()
}

// Wait blocks until every goroutine started with Go has returned and then
// returns the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(g.err)
	}
	return g.err
}

func (g *Group) setErr(err error) {
	g.errOnce.Do(func() {
		g.err = err
		if g.cancel != nil {
			g.cancel(err)
		}
	})
}

// ForEach calls fn for every item concurrently and returns the first error.
func ForEach[T any](ctx context.Context, items []T, fn func(context.Context, T) error) error {
	g, ctx := WithContext(ctx)
	for _, it := range items {
		g.Go(func() error { return fn(ctx, it) })
	}
	return g.Wait()
}

// MapSlice applies fn to every item concurrently, keeping the input order.
func MapSlice[T, R any](ctx context.Context, items []T, fn func(context.Context, T) (R, error)) ([]R, error) {
	g, ctx := WithContext(ctx)
	out := make([]R, len(items))
	for i, it := range items {
		g.Go(func() error {
			r, err := fn(ctx, it)
			if err != nil {
				return err
			}
			out[i] = r
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// CollectAll applies fn to every item concurrently and returns all results
// together with every error, joined.
func CollectAll[T, R any](items []T, fn func(T) (R, error)) ([]R, error) {
	var wg sync.WaitGroup
	out := make([]R, len(items))
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			r, err := fn(it)
			if err != nil {
				errs[i] = err
				return
			}
			out[i] = r
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// CollectEach is CollectAll that also reports which item failed.
func CollectEach[T, R any](items []T, fn func(T) (R, error)) ([]R, error) {
	var wg sync.WaitGroup
	out := make([]R, len(items))
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := fn(it)
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

// TryAll runs fn on every item concurrently, turning a panic into an error
// for that item.
func TryAll[T any](items []T, fn func(T) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("item %d: panic: %v", i, r)
				}
			}()
			errs[i] = fn(it)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// TryEach is TryAll with the Done deferred first, so it runs after the
// recover on every path.
func TryEach[T any](items []T, fn func(T) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("item %d: panic: %v", i, r)
				}
			}()
			errs[i] = fn(it)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
