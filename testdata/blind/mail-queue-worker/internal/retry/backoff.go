// Package retry computes exponential backoff with jitter and classifies
// errors as permanent or retryable.
package retry

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"time"
)

// Policy describes an exponential backoff.
type Policy struct {
	Base   time.Duration
	Max    time.Duration
	Factor float64
	// Jitter is the fraction of the delay that is randomised, in [0, 1].
	Jitter float64
	rand   func() float64
}

// DefaultPolicy is 2s, 4s, 8s, ... capped at 1h with 20% jitter.
func DefaultPolicy() Policy {
	return Policy{Base: 2 * time.Second, Max: time.Hour, Factor: 2, Jitter: 0.2}
}

// WithRand returns a copy of p that draws jitter from fn (for tests).
func (p Policy) WithRand(fn func() float64) Policy {
	p.rand = fn
	return p
}

// Delay returns the wait before attempt number attempt (1-based).
func (p Policy) Delay(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	factor := p.Factor
	if factor < 1 {
		factor = 2
	}
	d := float64(p.Base) * math.Pow(factor, float64(attempt-1))
	if p.Max > 0 && d > float64(p.Max) {
		d = float64(p.Max)
	}
	if p.Jitter > 0 {
		r := rand.Float64
		if p.rand != nil {
			r = p.rand
		}
		spread := d * p.Jitter
		d = d - spread + 2*spread*r()
	}
	return time.Duration(d)
}

// NextRunAt returns when a job that failed attempt should run again.
func (p Policy) NextRunAt(now time.Time, attempt int) time.Time {
	return now.Add(p.Delay(attempt))
}

// PermanentError marks a failure that retrying cannot fix (bad payload,
// 4xx from a webhook, unknown template).
type PermanentError struct {
	Err error
}

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a PermanentError.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err is or wraps a PermanentError.
func IsPermanent(err error) bool {
	var pe *PermanentError
	return errors.As(err, &pe)
}

// Do calls fn up to attempts times, sleeping per p between failures. It stops
// early on success, on a permanent error, or when ctx is done.
func Do(ctx context.Context, p Policy, attempts int, fn func(context.Context) error) error {
	var err error
	for attempt := 1; attempt <= attempts; attempt++ {
		if err = fn(ctx); err == nil || IsPermanent(err) {
			return err
		}
		if attempt == attempts {
			break
		}
		t := time.NewTimer(p.Delay(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return err
}
