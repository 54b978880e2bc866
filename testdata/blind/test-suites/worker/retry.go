package worker

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"example.com/testsuites/clock"
)

// Backoff computes exponential retry delays.
type Backoff struct {
	Base   time.Duration
	Max    time.Duration
	Factor float64
}

// DefaultBackoff is used by the pool when a job kind has no policy.
var DefaultBackoff = Backoff{Base: 100 * time.Millisecond, Max: 30 * time.Second, Factor: 2}

// Delay returns the wait before retry number attempt (starting at 1).
func (b Backoff) Delay(attempt int) time.Duration {
	if attempt < 1 {
		return 0
	}
	f := b.Factor
	if f < 1 {
		f = 1
	}
	d := float64(b.Base) * math.Pow(f, float64(attempt-1))
	if math.IsInf(d, 0) || d > float64(b.Max) {
		return b.Max
	}
	return time.Duration(d)
}

type permanentError struct{ err error }

func (e permanentError) Error() string { return "permanent: " + e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err: err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var pe permanentError
	return errors.As(err, &pe)
}

// Retry calls f until it succeeds, returns a permanent error, ctx ends or
// maxAttempts calls have failed. Waits are measured on c.
func Retry(ctx context.Context, c clock.Clock, b Backoff, maxAttempts int, f func(context.Context) error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		if err = f(ctx); err == nil || IsPermanent(err) {
			return err
		}
		if attempt == maxAttempts {
			break
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-c.After(b.Delay(attempt)):
		}
	}
	return fmt.Errorf("worker: %d attempts failed: %w", maxAttempts, err)
}

// RetryJob runs a job through the pool handler with retries.
func (p *Pool) RetryJob(ctx context.Context, b Backoff, maxAttempts int, j Job) error {
	return Retry(ctx, p.clock, b, maxAttempts, func(ctx context.Context) error {
		j.Attempt++
		res := p.run(ctx, j)
		p.record(res)
		return res.Err
	})
}
