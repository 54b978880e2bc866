package controller

import (
	"context"
	"errors"
	"time"
)

// Backoff describes an exponential backoff.
type Backoff struct {
	Duration time.Duration
	Factor   float64
	Steps    int
	Cap      time.Duration
}

// DefaultRetry is the backoff used for conflict retries.
var DefaultRetry = Backoff{Duration: 10 * time.Millisecond, Factor: 1.5, Steps: 5, Cap: time.Second}

// ErrRetriesExhausted is returned when a backoff runs out of steps.
var ErrRetriesExhausted = errors.New("controller: retries exhausted")

// Step returns the next delay and advances the backoff.
func (b *Backoff) Step() time.Duration {
	if b.Steps < 1 {
		return b.Duration
	}
	b.Steps--
	d := b.Duration
	if b.Factor > 0 {
		next := time.Duration(float64(b.Duration) * b.Factor)
		if b.Cap > 0 && next > b.Cap {
			next = b.Cap
			b.Steps = 0
		}
		b.Duration = next
	}
	return d
}

// IsConflict reports whether err is an optimistic-concurrency conflict.
func IsConflict(err error) bool {
	var c interface{ Conflict() bool }
	return errors.As(err, &c) && c.Conflict()
}

// RetryOnConflict runs fn until it succeeds, fails with a non-conflict error,
// or the backoff is exhausted.
func RetryOnConflict(b Backoff, fn func() error) error {
	var last error
	for b.Steps > 0 {
		last = fn()
		if !IsConflict(last) {
			return last
		}
		time.Sleep(b.Step())
	}
	return errors.Join(ErrRetriesExhausted, last)
}

// ExponentialBackoff calls cond until it returns true, an error, or the
// backoff runs out; it honours ctx between attempts.
func ExponentialBackoff(ctx context.Context, b Backoff, cond func(context.Context) (bool, error)) error {
	for b.Steps > 0 {
		ok, err := cond(ctx)
		if err != nil || ok {
			return err
		}
		t := time.NewTimer(b.Step())
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return ErrRetriesExhausted
}

// PollUntil calls cond every interval until it is true or ctx ends.
func PollUntil(ctx context.Context, interval time.Duration, cond func() bool) error {
	if cond() {
		return nil
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if cond() {
				return nil
			}
		}
	}
}
