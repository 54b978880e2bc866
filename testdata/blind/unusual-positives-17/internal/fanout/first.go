package fanout

import (
	"context"
	"errors"
)

// ErrNoAttempts is returned by First when given no functions.
var ErrNoAttempts = errors.New("fanout: no attempts")

type result[T any] struct {
	v   T
	err error
}

// First runs every fn concurrently and returns the first success.
func First[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	var zero T
	if len(fns) == 0 {
		return zero, ErrNoAttempts
	}
	results := make(chan result[T])
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			results <- result[T]{v, err} // HAZ goroutine-blocked-send
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
			return zero, ctx.Err()
		}
	}
	return zero, errors.Join(errs...)
}

// Hedge is First with the result channel buffered to the number of
// senders, so the losers never block after the winner returns.
func Hedge[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	var zero T
	if len(fns) == 0 {
		return zero, ErrNoAttempts
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result[T], len(fns))
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			results <- result[T]{v, err}
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
			return zero, ctx.Err()
		}
	}
	return zero, errors.Join(errs...)
}
