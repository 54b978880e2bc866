// Package retry retries flaky operations (HTTP exports, warehouse loads)
// with exponential backoff and jitter.
package retry

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Policy describes how often and how patiently to retry.
type Policy struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
	Jitter   float64 // fraction of the delay added at random
}

// Default is a policy suitable for network calls.
var Default = Policy{Attempts: 5, Base: 100 * time.Millisecond, Max: 5 * time.Second, Jitter: 0.2}

type permanent struct{ err error }

func (p *permanent) Error() string { return p.err.Error() }
func (p *permanent) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanent{err: err}
}

// Backoff returns the delay before retry number n (0-based).
func (p Policy) Backoff(n int) time.Duration {
	d := p.Base << n
	if d <= 0 || (p.Max > 0 && d > p.Max) {
		d = p.Max
	}
	if p.Jitter > 0 {
		d += time.Duration(rand.Float64() * p.Jitter * float64(d))
	}
	return d
}

// Do calls fn until it succeeds, returns a permanent error, the attempts
// are used up, or ctx is done.
func (p Policy) Do(ctx context.Context, fn func(context.Context) error) error {
	var err error
	for attempt := 0; attempt < p.Attempts; attempt++ {
		if err = fn(ctx); err == nil {
			return nil
		}
		var perm *permanent
		if errors.As(err, &perm) {
			return perm.err
		}
		if attempt == p.Attempts-1 {
			break
		}
		t := time.NewTimer(p.Backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return fmt.Errorf("retry: giving up after %d attempts: %w", p.Attempts, err)
}

// DoLogged is Do with a log line when the operation finally fails.
func (p Policy) DoLogged(ctx context.Context, name string, logf func(format string, args ...any), fn func(context.Context) error) (err error) {
	var attempt int
	defer func() {
		if err != nil {
			logf("%s: failed after %d attempt(s): %v", name, min(attempt+1, p.Attempts), err)
		}
	}()
	for attempt = 0; attempt < p.Attempts; attempt++ {
		if err = fn(ctx); err == nil {
			return nil
		}
		var perm *permanent
		if errors.As(err, &perm) || attempt == p.Attempts-1 {
			return err
		}
		t := time.NewTimer(p.Backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return err
}

// tryOnce runs fn once and turns a panic into an error, so that a buggy
// callback counts as a failed attempt instead of killing the batch.
func tryOnce(ctx context.Context, fn func(context.Context) error) (err error) {
	defer func() {
		if perr := panicError(); perr != nil {
			err = perr
		}
	}()
	return fn(ctx)
}

func panicError() error {
	if r := recover(); r != nil { // HAZ recover-ineffective
		return fmt.Errorf("retry: attempt panicked: %v", r)
	}
	return nil
}

// DoSafe is Do for callbacks that may panic.
func (p Policy) DoSafe(ctx context.Context, fn func(context.Context) error) error {
	return p.Do(ctx, func(ctx context.Context) error { return tryOnce(ctx, fn) })
}
