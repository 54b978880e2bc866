package txn

import (
	"context"
	"errors"
	"time"
)

// Backoff yields exponentially growing, capped delays.
type Backoff struct {
	Base    time.Duration
	Max     time.Duration
	attempt int
}

// Next returns the delay before the next attempt.
func (b *Backoff) Next() time.Duration {
	d := b.Base << b.attempt
	if d <= 0 || d > b.Max {
		d = b.Max
	} else {
		b.attempt++
	}
	return d
}

// Reset starts over from Base.
func (b *Backoff) Reset() {
	b.attempt = 0
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// IsRetryable reports whether err is worth retrying.
func IsRetryable(err error) bool {
	return errors.Is(err, ErrRetryable)
}

// Retry calls fn up to attempts times while it returns a retryable error.
func Retry(ctx context.Context, attempts int, b Backoff, fn func(context.Context) error) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = fn(ctx); err == nil || !IsRetryable(err) {
			return err
		}
		if serr := sleepCtx(ctx, b.Next()); serr != nil {
			return errors.Join(err, serr)
		}
	}
	return err
}

// Hedge starts up to n attempts of fn, delay apart, and returns as soon as
// one succeeds. The attempt number is passed to fn for logging.
func Hedge(ctx context.Context, n int, delay time.Duration, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, n)
	var attempt int
	for attempt = 0; attempt < n; attempt++ {
		go func() { // HAZ loop-var-capture
			errc <- fn(ctx, attempt)
		}()
		if sleepCtx(ctx, delay) != nil {
			attempt++
			break
		}
	}
	var errs []error
	for i := 0; i < attempt; i++ {
		err := <-errc
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// HedgeFixed is Hedge with a per-iteration attempt number.
func HedgeFixed(ctx context.Context, n int, delay time.Duration, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, n)
	launched := 0
	for i := 0; i < n; i++ {
		launched++
		go func() {
			errc <- fn(ctx, i)
		}()
		if sleepCtx(ctx, delay) != nil {
			break
		}
	}
	var errs []error
	for range launched {
		err := <-errc
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
