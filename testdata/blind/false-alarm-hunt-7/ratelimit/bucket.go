// Package ratelimit implements token-bucket and sliding-window limiters.
package ratelimit

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"
)

// ErrExceedsBurst is returned when a request asks for more tokens than the
// bucket can ever hold.
var ErrExceedsBurst = errors.New("ratelimit: request exceeds burst")

// Bucket is a token bucket refilled continuously at Rate tokens per second.
type Bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

// NewBucket returns a full bucket.
func NewBucket(rate float64, burst int) *Bucket {
	now := time.Now
	return &Bucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now(), now: now}
}

// advanceLocked refills tokens for the time elapsed since the last call.
func (b *Bucket) advanceLocked(now time.Time) {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = math.Min(b.burst, b.tokens+elapsed.Seconds()*b.rate)
		b.last = now
	}
}

// Allow takes one token if available.
func (b *Bucket) Allow() bool { return b.AllowN(1) }

// AllowN takes n tokens if all are available.
func (b *Bucket) AllowN(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advanceLocked(b.now())
	if b.tokens < float64(n) {
		return false
	}
	b.tokens -= float64(n)
	return true
}

// reserve takes n tokens, going into debt if needed, and returns how long
// the caller must wait before using them.
func (b *Bucket) reserve(n int) (time.Duration, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if float64(n) > b.burst {
		return 0, ErrExceedsBurst
	}
	b.advanceLocked(b.now())
	b.tokens -= float64(n)
	if b.tokens >= 0 {
		return 0, nil
	}
	if b.rate <= 0 {
		b.tokens += float64(n)
		return 0, ErrExceedsBurst
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second)), nil
}

// cancel gives back n reserved tokens.
func (b *Bucket) cancel(n int) {
	b.mu.Lock()
	b.tokens = math.Min(b.burst, b.tokens+float64(n))
	b.mu.Unlock()
}

// Wait blocks until n tokens are available or ctx ends. The lock is never
// held while sleeping.
func (b *Bucket) Wait(ctx context.Context, n int) error {
	d, err := b.reserve(n)
	if err != nil {
		return err
	}
	if d == 0 {
		return nil
	}
	if err := sleepCtx(ctx, d); err != nil {
		b.cancel(n)
		return err
	}
	return nil
}

// sleepCtx sleeps for d or until ctx ends.
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

// SetRate changes the refill rate, keeping the tokens earned so far.
func (b *Bucket) SetRate(rate float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advanceLocked(b.now())
	b.rate = rate
}

// Tokens returns the current number of tokens.
func (b *Bucket) Tokens() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advanceLocked(b.now())
	return b.tokens
}

// Limit returns the rate and burst.
func (b *Bucket) Limit() (rate float64, burst int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rate, int(b.burst)
}

// Throttle calls fn for each item, waiting for a token before each call.
func Throttle[T any](ctx context.Context, b *Bucket, items []T, fn func(T) error) error {
	for _, it := range items {
		if err := b.Wait(ctx, 1); err != nil {
			return err
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}
