// Package retry implements capped exponential backoff with jitter.
package retry

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Options configures Do.
type Options struct {
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
	Multiplier     float64
	MaxAttempts    int // 0 means unlimited
}

// DefaultOptions suits RPCs between nodes of one cluster.
var DefaultOptions = Options{
	InitialBackoff: 50 * time.Millisecond,
	MaxBackoff:     5 * time.Second,
	Multiplier:     2,
	MaxAttempts:    8,
}

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err: err}
}

// Do calls fn until it succeeds, returns a Permanent error, the attempts are
// used up or ctx is done. Whatever an attempt acquires must be released
// inside fn, before Do sleeps and tries again.
func Do(ctx context.Context, opts Options, fn func(ctx context.Context, attempt int) error) error {
	backoff := opts.InitialBackoff
	for attempt := 1; ; attempt++ {
		err := fn(ctx, attempt)
		if err == nil {
			return nil
		}
		var perm permanentError
		if errors.As(err, &perm) {
			return perm.err
		}
		if opts.MaxAttempts > 0 && attempt >= opts.MaxAttempts {
			return fmt.Errorf("giving up after %d attempts: %w", attempt, err)
		}
		t := time.NewTimer(jitter(backoff))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
		backoff = next(backoff, opts)
	}
}

func next(d time.Duration, opts Options) time.Duration {
	m := opts.Multiplier
	if m < 1 {
		m = 2
	}
	d = time.Duration(float64(d) * m)
	if opts.MaxBackoff > 0 && d > opts.MaxBackoff {
		d = opts.MaxBackoff
	}
	return d
}

// jitter returns a duration in [d/2, d].
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d/2+1)
}
