// Package ratelimit implements per-client token buckets for the registry's
// HTTP front end.
package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"
)

// Bucket is a token bucket: it holds up to burst tokens and refills at rate
// tokens per second.
type Bucket struct {
	mu     sync.Mutex
	tokens float64
	burst  float64
	rate   float64
	last   time.Time
}

// NewBucket returns a full bucket.
func NewBucket(rate, burst float64) *Bucket {
	return &Bucket{tokens: burst, burst: burst, rate: rate, last: time.Now()}
}

// Allow takes one token if available.
func (b *Bucket) Allow() bool {
	return b.AllowN(1)
}

// AllowN takes n tokens if available.
func (b *Bucket) AllowN(n float64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked(time.Now())
	if b.tokens < n {
		return false
	}
	b.tokens -= n
	return true
}

// refillLocked adds the tokens earned since the last refill; b.mu is held.
func (b *Bucket) refillLocked(now time.Time) {
	elapsed := now.Sub(b.last).Seconds()
	if elapsed <= 0 {
		return
	}
	b.tokens = math.Min(b.burst, b.tokens+elapsed*b.rate)
	b.last = now
}

// Wait blocks until a token is available or ctx ends.
func (b *Bucket) Wait(ctx context.Context) error {
	for {
		b.mu.Lock()
		b.refillLocked(time.Now())
		if b.tokens >= 1 {
			b.tokens--
			b.mu.Unlock()
			return nil
		}
		wait := time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
		b.mu.Unlock()

		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// idleFor reports how long the bucket has not been used.
func (b *Bucket) idleFor(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return now.Sub(b.last)
}

// Tokens returns the current token count, for the debug endpoint.
func (b *Bucket) Tokens() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked(time.Now())
	return b.tokens
}
