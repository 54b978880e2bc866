package exporterhelper

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// RetrySettings configures exponential backoff.
type RetrySettings struct {
	Enabled         bool
	InitialInterval time.Duration
	MaxInterval     time.Duration
	MaxElapsedTime  time.Duration
	Multiplier      float64
}

// DefaultRetrySettings mirrors the usual collector defaults.
func DefaultRetrySettings() RetrySettings {
	return RetrySettings{
		Enabled:         true,
		InitialInterval: 5 * time.Second,
		MaxInterval:     30 * time.Second,
		MaxElapsedTime:  5 * time.Minute,
		Multiplier:      1.5,
	}
}

type permanentError struct{ err error }

func (p permanentError) Error() string { return "permanent error: " + p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// NewPermanent marks err as not worth retrying.
func NewPermanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err: err}
}

// IsPermanent reports whether err was marked with NewPermanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// ThrottleError asks the retrier to wait at least Delay before the next try,
// e.g. from a Retry-After header.
type ThrottleError struct {
	Err   error
	Delay time.Duration
}

func (t *ThrottleError) Error() string { return fmt.Sprintf("throttled for %s: %v", t.Delay, t.Err) }
func (t *ThrottleError) Unwrap() error { return t.Err }

// Do calls fn until it succeeds, fails permanently, or the time budget (the
// earlier of ctx's deadline and MaxElapsedTime) runs out.
func (rs RetrySettings) Do(ctx context.Context, fn func(context.Context) error) error {
	if !rs.Enabled {
		return fn(ctx)
	}
	if rs.MaxElapsedTime > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, rs.MaxElapsedTime)
		defer cancel()
	}
	interval := rs.InitialInterval
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil || IsPermanent(err) {
			return err
		}
		wait := rs.nextWait(interval, err)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return fmt.Errorf("giving up after %d attempts, no time left for backoff of %s: %w", attempt, wait, err)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return errors.Join(err, ctx.Err())
		case <-timer.C:
		}
		interval = min(time.Duration(float64(interval)*rs.Multiplier), rs.MaxInterval)
	}
}

// nextWait adds +-20% jitter to interval and honours throttling hints.
func (rs RetrySettings) nextWait(interval time.Duration, err error) time.Duration {
	jitter := time.Duration((rand.Float64()*0.4 - 0.2) * float64(interval))
	wait := interval + jitter
	var te *ThrottleError
	if errors.As(err, &te) && te.Delay > wait {
		wait = te.Delay
	}
	return wait
}
