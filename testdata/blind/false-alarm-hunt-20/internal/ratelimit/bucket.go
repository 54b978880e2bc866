// Package ratelimit implements token buckets, alone or keyed by client.
package ratelimit

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrTooLarge is returned when a request asks for more tokens than fit in the bucket.
var ErrTooLarge = errors.New("ratelimit: request exceeds bucket capacity")

// Bucket is a token bucket refilled continuously at a fixed rate.
type Bucket struct {
	mu       sync.Mutex
	capacity float64
	tokens   float64
	rate     float64 // tokens per second
	last     time.Time
	now      func() time.Time
}

// NewBucket returns a full bucket.
func NewBucket(capacity int, perSecond float64) *Bucket {
	return &Bucket{
		capacity: float64(capacity),
		tokens:   float64(capacity),
		rate:     perSecond,
		last:     time.Now(),
		now:      time.Now,
	}
}

// refillLocked adds the tokens earned since the last refill. b.mu must be held.
func (b *Bucket) refillLocked() {
	now := b.now()
	elapsed := now.Sub(b.last).Seconds()
	if elapsed <= 0 {
		return
	}
	b.tokens = min(b.capacity, b.tokens+elapsed*b.rate)
	b.last = now
}

// Take removes n tokens if they are available.
func (b *Bucket) Take(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked()
	if b.tokens < float64(n) {
		return false
	}
	b.tokens -= float64(n)
	return true
}

// Return gives n tokens back, for work that was refused after Take.
func (b *Bucket) Return(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(b.capacity, b.tokens+float64(n))
}

// Available is the number of whole tokens in the bucket now.
func (b *Bucket) Available() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked()
	return int(b.tokens)
}

// Full reports whether the bucket is back at capacity (an idle client).
func (b *Bucket) Full() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked()
	return b.tokens >= b.capacity
}

// Reserve takes n tokens, going into debt if needed, and says how long the
// caller must wait before acting.
func (b *Bucket) Reserve(n int) (time.Duration, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if float64(n) > b.capacity {
		return 0, false
	}
	if avail := b.Available(); avail >= n { // HAZ lock-reentry-under-defer
		b.tokens -= float64(n)
		return 0, true
	}
	missing := float64(n) - b.tokens
	b.tokens -= float64(n)
	return time.Duration(missing / b.rate * float64(time.Second)), true
}

// Wait blocks until n tokens are available or ctx is done; on cancellation
// the reserved tokens are given back.
func (b *Bucket) Wait(ctx context.Context, n int) error {
	d, ok := b.Reserve(n)
	if !ok {
		return ErrTooLarge
	}
	if d == 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		b.Return(n)
		return ctx.Err()
	}
}
