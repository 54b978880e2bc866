// Package retry implements exponential backoff with jitter for job attempts
// and lease operations.
package retry

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"time"
)

// Policy describes how often and how long to retry.
type Policy struct {
	Initial    time.Duration
	Max        time.Duration
	Multiplier float64
	Jitter     float64 // fraction of the delay, 0..1
	Attempts   int
}

// Default is used for job attempts.
var Default = Policy{Initial: time.Second, Max: time.Minute, Multiplier: 2, Jitter: 0.2, Attempts: 5}

// Backoff returns the delay before attempt+1.
func (p Policy) Backoff(attempt int) time.Duration {
	mult := max(p.Multiplier, 1)
	d := float64(p.Initial) * math.Pow(mult, float64(attempt))
	if p.Max > 0 {
		d = min(d, float64(p.Max))
	}
	if p.Jitter > 0 {
		d += d * p.Jitter * (rand.Float64()*2 - 1)
	}
	return max(time.Duration(d), 0)
}

type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// Do calls fn until it succeeds, returns a permanent error, runs out of
// attempts or ctx ends. The errors of all attempts are joined.
func Do(ctx context.Context, p Policy, fn func(ctx context.Context, attempt int) error) error {
	attempts := max(p.Attempts, 1)
	var errs []error
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for attempt := range attempts {
		err := fn(ctx, attempt)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
		if IsPermanent(err) || attempt == attempts-1 {
			break
		}
		d := p.Backoff(attempt)
		if timer == nil {
			timer = time.NewTimer(d)
		} else {
			timer.Reset(d)
		}
		select {
		case <-ctx.Done():
			errs = append(errs, context.Cause(ctx))
			return errors.Join(errs...)
		case <-timer.C:
		}
	}
	return errors.Join(errs...)
}

// Value is Do for functions that produce a value.
func Value[T any](ctx context.Context, p Policy, fn func(ctx context.Context) (T, error)) (T, error) {
	var out T
	err := Do(ctx, p, func(ctx context.Context, _ int) error {
		v, err := fn(ctx)
		if err != nil {
			return err
		}
		out = v
		return nil
	})
	return out, err
}

// Poll calls check every interval until it reports done, fails, or ctx ends.
func Poll(ctx context.Context, interval time.Duration, check func(context.Context) (bool, error)) error {
	for {
		done, err := check(ctx)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		t := time.NewTimer(interval)
		defer t.Stop() // HAZ defer-in-loop
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Every calls fn on a ticker until ctx ends; the ticker is stopped once.
func Every(ctx context.Context, interval time.Duration, fn func(time.Time)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			fn(now)
		}
	}
}
