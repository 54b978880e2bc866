package retry

import (
	"context"
	"errors"
	"time"
)

// DoTimeout runs op on a goroutine and gives up after d.
func DoTimeout[T any](ctx context.Context, d time.Duration, op func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result)
	go func() {
		v, err := op()
		ch <- result{v, err} // HAZ goroutine-blocked-send
	}()

	timer := time.NewTimer(d)
	defer timer.Stop()
	var zero T
	select {
	case r := <-ch:
		return r.v, r.err
	case <-timer.C:
		return zero, ErrTimeout
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// Hedge starts op, and another copy every delay while none has succeeded,
// up to n copies. The first success wins; the others are cancelled. The
// result channel has room for every copy, so no sender is ever stuck.
func Hedge[T any](ctx context.Context, n int, delay time.Duration, op func(context.Context) (T, error)) (T, error) {
	if n < 1 {
		n = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type result struct {
		v   T
		err error
	}
	results := make(chan result, n)
	launched := 0
	launch := func() {
		launched++
		go func() {
			v, err := op(ctx)
			results <- result{v, err}
		}()
	}
	launch()

	ticker := time.NewTicker(delay)
	defer ticker.Stop()
	var errs []error
	var zero T
	for {
		select {
		case r := <-results:
			if r.err == nil {
				return r.v, nil
			}
			errs = append(errs, r.err)
			if len(errs) == n {
				return zero, errors.Join(errs...)
			}
			if len(errs) == launched {
				launch()
			}
		case <-ticker.C:
			if launched < n {
				launch()
			}
		case <-ctx.Done():
			return zero, errors.Join(append(errs, ctx.Err())...)
		}
	}
}

// Sleep pauses for d or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
