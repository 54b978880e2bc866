package group

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ForEach runs fn on every item concurrently and joins the errors.
func ForEach[T any](items []T, fn func(T) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(it); err != nil {
				errs[i] = fmt.Errorf("item %d: %w", i, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ForEachLimit runs fn on every item with at most limit calls in flight and
// stops starting new ones once a call fails or ctx ends.
func ForEachLimit[T any](ctx context.Context, items []T, limit int, fn func(context.Context, T) error) error {
	if limit < 1 {
		limit = 1
	}
	g, ctx := WithContext(ctx)
	sem := make(chan struct{}, limit)
	for _, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return errors.Join(g.Wait(), ctx.Err())
		}
		g.Go(func() error {
			err := fn(ctx, it)
			<-sem
			return err
		})
	}
	return g.Wait()
}

// First runs every fn concurrently and returns the first successful result.
func First[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result)
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			results <- result{v, err} // HAZ goroutine-blocked-send
		}()
	}
	var errs []error
	for range fns {
		select {
		case r := <-results:
			if r.err == nil {
				return r.v, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
	var zero T
	return zero, errors.Join(errs...)
}

// Race is First with a result channel that has room for every sender, so the
// losers can always deliver and exit.
func Race[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result, len(fns))
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			results <- result{v, err}
		}()
	}
	var errs []error
	for range fns {
		select {
		case r := <-results:
			if r.err == nil {
				return r.v, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
	var zero T
	return zero, errors.Join(errs...)
}

// Gather runs every fn in a Group and collects the successful values. It
// returns as soon as ctx ends or a fn fails.
func Gather[T any](ctx context.Context, fns ...func(context.Context) (T, error)) ([]T, error) {
	g, ctx := WithContext(ctx)
	out := make(chan T, len(fns))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, fn := range fns {
		g.Go(func() error {
			v, err := fn(ctx)
			if err != nil {
				return err
			}
			out <- v
			return nil
		})
	}
	res := make([]T, 0, len(fns))
	for range fns {
		select {
		case v := <-out:
			res = append(res, v)
		case <-ctx.Done():
			return res, context.Cause(ctx)
		}
	}
	return res, g.Wait()
}

// GatherAll is Gather that joins the Group on every path before the deferred
// close runs.
func GatherAll[T any](ctx context.Context, fns ...func(context.Context) (T, error)) ([]T, error) {
	g, ctx := WithContext(ctx)
	out := make(chan T, len(fns))
	defer close(out)
	for _, fn := range fns {
		g.Go(func() error {
			v, err := fn(ctx)
			if err != nil {
				return err
			}
			out <- v
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res := make([]T, 0, len(fns))
	for range fns {
		res = append(res, <-out)
	}
	return res, nil
}
