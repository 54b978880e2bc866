// Package backoff implements retry delays with exponential growth and jitter.
package backoff

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Policy describes how delays grow between attempts.
type Policy struct {
	Base       time.Duration
	Max        time.Duration
	Multiplier float64
	Jitter     float64
}

// Default is a reasonable policy for RPC retries.
var Default = Policy{Base: 50 * time.Millisecond, Max: 5 * time.Second, Multiplier: 1.6, Jitter: 0.2}

// Delay returns the wait before the given attempt (0-based).
func (p Policy) Delay(attempt int) time.Duration {
	if p.Base <= 0 {
		return 0
	}
	d := float64(p.Base)
	for i := 0; i < attempt && d < float64(p.Max); i++ {
		d *= p.Multiplier
	}
	if p.Max > 0 && d > float64(p.Max) {
		d = float64(p.Max)
	}
	if p.Jitter > 0 {
		d *= 1 + p.Jitter*(rand.Float64()*2-1)
	}
	return time.Duration(d)
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type permanentError struct{ err error }

func (e *permanentError) Error() string   { return e.err.Error() }
func (e *permanentError) Unwrap() error   { return e.err }
func (e *permanentError) Retryable() bool { return false }

// Permanent marks err as not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsRetryable reports whether err may succeed on a later attempt.
func IsRetryable(err error) bool {
	var r interface{ Retryable() bool }
	if errors.As(err, &r) {
		return r.Retryable()
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// Retry calls fn until it succeeds, fails permanently or runs out of attempts.
func Retry(ctx context.Context, p Policy, maxAttempts int, fn func(context.Context) error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if err = fn(ctx); err == nil || !IsRetryable(err) {
			return err
		}
		if attempt == maxAttempts-1 {
			break
		}
		if werr := Sleep(ctx, p.Delay(attempt)); werr != nil {
			return errors.Join(err, werr)
		}
	}
	return err
}
