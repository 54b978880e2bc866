// Package retry retries message handlers with exponential backoff and
// parks messages that keep failing in dead-letter files.
package retry

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"time"
)

// Backoff describes an exponential backoff with jitter.
type Backoff struct {
	Base   time.Duration
	Max    time.Duration
	Factor float64
	Jitter float64 // fraction of the delay, 0..1
}

// DefaultBackoff is used when the configuration leaves the fields empty.
var DefaultBackoff = Backoff{Base: 100 * time.Millisecond, Max: 10 * time.Second, Factor: 2, Jitter: 0.2}

// Delay returns the wait before the given attempt (1-based).
func (b Backoff) Delay(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	factor := b.Factor
	if factor < 1 {
		factor = 1
	}
	d := float64(b.Base) * math.Pow(factor, float64(attempt-1))
	if b.Max > 0 && d > float64(b.Max) {
		d = float64(b.Max)
	}
	if b.Jitter > 0 {
		d += d * b.Jitter * (rand.Float64()*2 - 1)
	}
	if d < 0 {
		d = 0
	}
	return time.Duration(d)
}

type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks an error that retrying cannot fix.
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

// Do calls fn until it succeeds, fails permanently, runs out of attempts or
// ctx ends.
func Do(ctx context.Context, b Backoff, attempts int, fn func(context.Context) error) error {
	if attempts < 1 {
		attempts = 1
	}
	var err error
	for i := 1; i <= attempts; i++ {
		if err = fn(ctx); err == nil || IsPermanent(err) {
			return err
		}
		if i == attempts {
			break
		}
		t := time.NewTimer(b.Delay(i))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return fmt.Errorf("retry: giving up after %d attempts: %w", attempts, err)
}
