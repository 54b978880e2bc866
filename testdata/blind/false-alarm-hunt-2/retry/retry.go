// Package retry implements retry loops with backoff, hedging and per-attempt deadlines.
package retry

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"time"
)

// Policy configures retries.
type Policy struct {
	Attempts   int
	Base       time.Duration
	Max        time.Duration
	PerAttempt time.Duration
	Logger     *log.Logger
}

type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks err as not retryable.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// Backoff returns the delay before attempt n (0-based) with full jitter.
func (p Policy) Backoff(n int) time.Duration {
	d := p.Base << uint(n)
	if d <= 0 || (p.Max > 0 && d > p.Max) {
		d = p.Max
	}
	if d <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(d)))
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop() // ok: Stop does not block
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Do calls fn until it succeeds, returns a permanent error, or attempts run out.
func Do(ctx context.Context, p Policy, fn func(context.Context) error) error {
	var errs []error
	for attempt := 0; attempt < p.Attempts; attempt++ {
		err := p.once(ctx, fn)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
		if IsPermanent(err) {
			break
		}
		if attempt == p.Attempts-1 {
			break
		}
		if p.Logger != nil {
			p.Logger.Printf("retry: attempt %d failed: %v", attempt+1, err)
		}
		if serr := Sleep(ctx, p.Backoff(attempt)); serr != nil {
			errs = append(errs, serr)
			break
		}
	}
	return fmt.Errorf("retry: giving up: %w", errors.Join(errs...))
}

// once runs a single attempt under the per-attempt deadline.
func (p Policy) once(ctx context.Context, fn func(context.Context) error) error {
	if p.PerAttempt <= 0 {
		return fn(ctx)
	}
	actx, cancel := context.WithTimeout(ctx, p.PerAttempt)
	defer cancel()
	return fn(actx)
}

// DoValue is Do for functions that return a value.
func DoValue[T any](ctx context.Context, p Policy, fn func(context.Context) (T, error)) (T, error) {
	var out T
	err := Do(ctx, p, func(ctx context.Context) error {
		v, err := fn(ctx)
		if err != nil {
			return err
		}
		out = v
		return nil
	})
	return out, err
}

// DoInline is Do with the per-attempt timeout scoped by a closure in the loop body.
func DoInline(ctx context.Context, attempts int, per time.Duration, fn func(context.Context) error) (err error) {
	for i := range attempts {
		err = func() error {
			actx, cancel := context.WithTimeout(ctx, per)
			defer cancel() // ok: runs at the end of each attempt
			return fn(actx)
		}()
		if err == nil || IsPermanent(err) {
			return err
		}
		if i < attempts-1 {
			if serr := Sleep(ctx, time.Duration(i+1)*10*time.Millisecond); serr != nil {
				return errors.Join(err, serr)
			}
		}
	}
	return err
}

type result[T any] struct {
	v   T
	err error
}

// Hedge starts up to n copies of fn, staggered by delay, and returns the first success.
func Hedge[T any](ctx context.Context, n int, delay time.Duration, fn func(context.Context, int) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result[T], n) // ok: one slot per sender, nobody blocks after we return
	for i := range n {
		go func() {
			if i > 0 {
				if err := Sleep(ctx, time.Duration(i)*delay); err != nil {
					results <- result[T]{err: err}
					return
				}
			}
			v, err := fn(ctx, i)
			results <- result[T]{v: v, err: err}
		}()
	}
	var errs []error
	for range n {
		r := <-results
		if r.err == nil {
			return r.v, nil
		}
		errs = append(errs, r.err)
	}
	var zero T
	return zero, errors.Join(errs...)
}

// WithDeadline runs fn and gives up waiting when ctx ends.
func WithDeadline(ctx context.Context, fn func() error) error {
	done := make(chan error, 1) // ok: buffered, the sender never blocks
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WithDeadlineValue is WithDeadline for a value; the sender selects on ctx.
func WithDeadlineValue[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	ch := make(chan result[T])
	go func() {
		v, err := fn()
		select {
		case ch <- result[T]{v, err}:
		case <-ctx.Done(): // ok: the receiver is gone, drop the result
		}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Poll calls cond every interval until it returns true or ctx ends.
func Poll(ctx context.Context, interval time.Duration, cond func() (bool, error)) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		ok, err := cond()
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Safe runs fn and turns a panic into an error.
func Safe(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("retry: recovered panic: %v", r)
		}
	}()
	return fn()
}

// DoSafe retries fn, treating panics as permanent failures.
func DoSafe(ctx context.Context, p Policy, fn func(context.Context) error) error {
	return Do(ctx, p, func(ctx context.Context) error {
		if err := Safe(func() error { return fn(ctx) }); err != nil {
			return err
		}
		return nil
	})
}

// Notify calls every listener; a panicking listener must not stop the others.
func Notify(listeners []func(attempt int, err error), attempt int, err error) {
	for _, l := range listeners {
		func() {
			defer func() { // HAZ recover-swallows-panic
				if r := recover(); r != nil {
				}
			}()
			l(attempt, err)
		}()
	}
}
