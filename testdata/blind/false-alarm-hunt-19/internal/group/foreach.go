package group

import (
	"context"
	"errors"
	"sync"
)

// ForEach calls fn for every item concurrently and returns all errors
// joined. It returns only after every call has finished.
func ForEach[T any](ctx context.Context, items []T, fn func(context.Context, T) error) error {
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			errs[i] = fn(ctx, item)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

type result[T any] struct {
	v   T
	err error
}

// FirstOf runs every fn concurrently and returns the first successful
// result. The result channel has room for every fn, so the ones that finish
// after FirstOf has returned never block.
func FirstOf[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make(chan result[T], len(fns))
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			results <- result[T]{v: v, err: err}
		}()
	}

	var zero T
	var errs []error
	for range fns {
		select {
		case r := <-results:
			if r.err == nil {
				return r.v, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return zero, errors.Join(append(errs, ctx.Err())...)
		}
	}
	if len(errs) == 0 {
		return zero, errors.New("group: FirstOf called without functions")
	}
	return zero, errors.Join(errs...)
}
