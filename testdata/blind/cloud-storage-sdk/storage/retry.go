package storage

import (
	"context"
	"errors"
	"math/rand"
	"sync"
	"time"
)

// Backoff computes exponential delays with full jitter.
type Backoff struct {
	Base time.Duration
	Max  time.Duration

	mu      sync.Mutex
	attempt int
	rnd     *rand.Rand
}

// NewBackoff returns a backoff starting at base and capped at max.
func NewBackoff(base, max time.Duration) *Backoff {
	return &Backoff{Base: base, Max: max, rnd: rand.New(rand.NewSource(time.Now().UnixNano()))}
}

// Next returns the delay before the next attempt.
func (b *Backoff) Next() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	ceil := b.Base << uint(b.attempt)
	if ceil <= 0 || ceil > b.Max {
		ceil = b.Max
	}
	b.attempt++
	return time.Duration(b.rnd.Int63n(int64(ceil) + 1))
}

// Reset starts the sequence over.
func (b *Backoff) Reset() {
	b.mu.Lock()
	b.attempt = 0
	b.mu.Unlock()
}

// Attempt returns how many delays have been handed out.
func (b *Backoff) Attempt() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.attempt
}

// Retry calls fn until it succeeds, fails permanently, ctx ends, or
// maxAttempts is reached.
func Retry(ctx context.Context, maxAttempts int, b *Backoff, fn func(context.Context) error) error {
	var last error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		last = err
		if !IsRetryable(err) {
			return unwrapPermanent(err)
		}
		d := b.Next()
		timer := time.NewTimer(d)
		select {
		case <-ctx.Done():
			timer.Stop()
			return errors.Join(ctx.Err(), last)
		case <-timer.C:
		}
	}
	return last
}

func unwrapPermanent(err error) error {
	var perm *permanentError
	if errors.As(err, &perm) {
		return perm.err
	}
	return err
}

// sleepCtx waits d or until ctx ends.
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

// RetryAfter parses a Retry-After value in seconds, bounded by max.
func RetryAfter(v string, max time.Duration) time.Duration {
	d, err := time.ParseDuration(v + "s")
	if err != nil || d < 0 {
		return 0
	}
	if d > max {
		return max
	}
	return d
}
