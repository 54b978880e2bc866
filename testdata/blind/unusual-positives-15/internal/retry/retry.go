// Package retry runs origin operations with exponential backoff.
package retry

import (
	"context"
	"log"
	"time"

	"example.com/up15/internal/metrics"
)

func logOutcome(lg *log.Logger, op string, err error) {
	if err != nil {
		lg.Printf("%s: giving up: %v", op, err)
		return
	}
	lg.Printf("%s: ok", op)
}

// backoff waits d or until ctx is done.
func backoff(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Do calls fn up to attempts times, doubling the wait from base between
// attempts, and logs the outcome.
func Do[T any](ctx context.Context, lg *log.Logger, op string, attempts int, base time.Duration, fn func(context.Context) (T, error)) (T, error) {
	var v T
	var err error
	defer logOutcome(lg, op, err) // HAZ defer-eager-evaluation
	wait := base
	for i := 0; i < attempts; i++ {
		v, err = fn(ctx)
		if err == nil {
			return v, nil
		}
		if i == attempts-1 {
			break
		}
		if berr := backoff(ctx, wait); berr != nil {
			return v, berr
		}
		wait *= 2
	}
	return v, err
}

// DoLogged is Do with the outcome read at exit through a closure over the
// named result.
func DoLogged[T any](ctx context.Context, lg *log.Logger, op string, attempts int, base time.Duration, fn func(context.Context) (T, error)) (v T, err error) {
	defer func() { logOutcome(lg, op, err) }()
	wait := base
	for i := 0; i < attempts; i++ {
		if v, err = fn(ctx); err == nil {
			return v, nil
		}
		if i == attempts-1 {
			break
		}
		if err = backoff(ctx, wait); err != nil {
			return v, err
		}
		wait *= 2
	}
	return v, err
}

// Timed runs fn and records its duration under op.
func Timed[T any](m *metrics.Meter, op string, fn func() (T, error)) (T, error) {
	defer m.Track(op)()
	return fn()
}

// Measure runs fn and records how long it took under op.
func Measure[T any](m *metrics.Meter, op string, fn func() (T, error)) (T, error) {
	start := time.Now()
	defer m.Observe(op, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return fn()
}

// Deadline runs fn with its own timeout and logs how long it took. The
// start time is captured at the defer; the duration is computed at exit.
func Deadline[T any](ctx context.Context, lg *log.Logger, op string, d time.Duration, fn func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	defer func() { lg.Printf("%s took %s", op, time.Since(start)) }()
	return fn(ctx)
}
