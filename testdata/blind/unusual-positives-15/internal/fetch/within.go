package fetch

import "context"

type result[T any] struct {
	v   T
	err error
}

// Within runs fn in a goroutine and gives up when ctx is done.
func Within[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	ch := make(chan result[T])
	go func() {
		v, err := fn()
		ch <- result[T]{v, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Bounded is Within with a one-slot result channel: when the caller has
// given up, the goroutine's send still completes and it exits.
func Bounded[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	ch := make(chan result[T], 1)
	go func() {
		v, err := fn()
		ch <- result[T]{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Hedged runs every fn and returns the first success. The channel holds one
// result per fn, so the losers never block.
func Hedged[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan result[T], len(fns))
	for _, fn := range fns {
		go func(fn func(context.Context) (T, error)) {
			v, err := fn(ctx)
			ch <- result[T]{v, err}
		}(fn)
	}
	var zero T
	var lastErr error = context.Canceled
	for range fns {
		select {
		case r := <-ch:
			if r.err == nil {
				return r.v, nil
			}
			lastErr = r.err
		case <-ctx.Done():
			return zero, ctx.Err()
		}
	}
	return zero, lastErr
}
