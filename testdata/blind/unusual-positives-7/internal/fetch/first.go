package fetch

import (
	"context"
	"errors"
)

type attempt[T any] struct {
	v   T
	err error
}

// FirstOf runs every try concurrently and returns the first success, or
// gives up when ctx ends.
func FirstOf[T any](ctx context.Context, tries ...func(context.Context) (T, error)) (T, error) {
	ch := make(chan attempt[T])
	for _, try := range tries {
		go func() {
			v, err := try(ctx)
			ch <- attempt[T]{v, err} // HAZ goroutine-blocked-send
		}()
	}
	var zero T
	var errs []error
	for range tries {
		select {
		case a := <-ch:
			if a.err == nil {
				return a.v, nil
			}
			errs = append(errs, a.err)
		case <-ctx.Done():
			return zero, ctx.Err()
		}
	}
	return zero, errors.Join(errs...)
}

// FirstOfBuffered is FirstOf with a slot for every try, so the losers can
// deliver into the buffer and exit after the winner has been returned.
func FirstOfBuffered[T any](ctx context.Context, tries ...func(context.Context) (T, error)) (T, error) {
	ch := make(chan attempt[T], len(tries))
	for _, try := range tries {
		go func() {
			v, err := try(ctx)
			ch <- attempt[T]{v, err}
		}()
	}
	var zero T
	var errs []error
	for range tries {
		select {
		case a := <-ch:
			if a.err == nil {
				return a.v, nil
			}
			errs = append(errs, a.err)
		case <-ctx.Done():
			return zero, ctx.Err()
		}
	}
	return zero, errors.Join(errs...)
}
