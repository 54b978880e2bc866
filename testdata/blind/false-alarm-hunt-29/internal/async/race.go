package async

import (
	"context"
	"errors"
)

// Hedge starts n identical attempts of fn and returns whichever finishes
// first; the others are canceled.
func Hedge[T any](ctx context.Context, n int, fn func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan Result[T], n)
	defer close(results) // HAZ defer-close-chan-with-sender
	for range n {
		go func() {
			v, err := fn(ctx)
			results <- Result[T]{Val: v, Err: err}
		}()
	}
	select {
	case r := <-results:
		return r.Val, r.Err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// FirstSuccess returns the first attempt that succeeds, or every error
// joined. The channel has one slot per sender, so the attempts still running
// when it returns never block.
func FirstSuccess[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan Result[T], len(fns))
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			results <- Result[T]{Val: v, Err: err}
		}()
	}
	var errs []error
	for range fns {
		r := <-results
		if r.Err == nil {
			return r.Val, nil
		}
		errs = append(errs, r.Err)
	}
	var zero T
	return zero, errors.Join(errs...)
}

// All runs every fn concurrently and returns their values in order. It
// receives exactly one result per goroutine before returning, so closing the
// channel on the way out is safe.
func All[T any](ctx context.Context, fns ...func(context.Context) (T, error)) ([]T, error) {
	type indexed struct {
		i int
		r Result[T]
	}
	ch := make(chan indexed)
	defer close(ch)
	for i, fn := range fns {
		go func() {
			v, err := fn(ctx)
			ch <- indexed{i: i, r: Result[T]{Val: v, Err: err}}
		}()
	}
	out := make([]T, len(fns))
	var errs []error
	for range fns {
		x := <-ch
		if x.r.Err != nil {
			errs = append(errs, x.r.Err)
			continue
		}
		out[x.i] = x.r.Val
	}
	return out, errors.Join(errs...)
}
