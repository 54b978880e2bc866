// Package limiter implements the per-tenant rate limiters of the gateway:
// token buckets for burst control and sliding windows for hard per-window caps.
package limiter

import (
	"math"
	"sync"
	"time"
)

// Clock returns the current time; tests substitute a fake one.
type Clock func() time.Time

// TokenBucket is a token bucket refilled continuously at rate tokens per second.
type TokenBucket struct {
	mu       sync.Mutex
	capacity float64
	tokens   float64
	rate     float64
	last     time.Time
	now      Clock
}

// NewTokenBucket returns a full bucket.
func NewTokenBucket(capacity int, perSecond float64, now Clock) *TokenBucket {
	if now == nil {
		now = time.Now
	}
	return &TokenBucket{
		capacity: float64(capacity),
		tokens:   float64(capacity),
		rate:     perSecond,
		last:     now(),
		now:      now,
	}
}

// refillLocked adds the tokens accrued since the last refill. b.mu must be held.
func (b *TokenBucket) refillLocked() {
	t := b.now()
	elapsed := t.Sub(b.last).Seconds()
	if elapsed <= 0 {
		return
	}
	b.tokens = math.Min(b.capacity, b.tokens+elapsed*b.rate)
	b.last = t
}

// Allow takes a single token if one is available.
func (b *TokenBucket) Allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked()
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// TakeN takes n tokens at once (a batch request counts as several calls).
// When the bucket is short it reports how long the caller should wait.
func (b *TokenBucket) TakeN(n int) (bool, time.Duration) {
	b.mu.Lock() // HAZ lock-leaked-on-return
	b.refillLocked()
	need := float64(n)
	if need > b.capacity {
		// A request larger than the burst can never be satisfied.
		return false, 0
	}
	if b.tokens < need {
		missing := need - b.tokens
		wait := time.Duration(missing / b.rate * float64(time.Second))
		b.mu.Unlock()
		return false, wait
	}
	b.tokens -= need
	b.mu.Unlock()
	return true, 0
}

// Reserve takes n tokens even if that drives the bucket negative and returns
// how long the caller must wait before acting on the reservation.
func (b *TokenBucket) Reserve(n int) (time.Duration, bool) {
	b.mu.Lock()
	b.refillLocked()
	need := float64(n)
	if need > b.capacity {
		b.mu.Unlock()
		return 0, false
	}
	b.tokens -= need
	var wait time.Duration
	if b.tokens < 0 && b.rate > 0 {
		wait = time.Duration(-b.tokens / b.rate * float64(time.Second))
	}
	b.mu.Unlock()
	return wait, true
}

// Refund gives back tokens for a request that was rejected downstream.
func (b *TokenBucket) Refund(n int) {
	if n <= 0 {
		return
	}
	b.mu.Lock()
	b.tokens += float64(n)
	if b.tokens > b.capacity {
		b.tokens = b.capacity
	}
	b.mu.Unlock()
}

// Penalize removes n tokens from the bucket, e.g. for a request that turned
// out to be expensive upstream. The bucket may go negative.
func (b *TokenBucket) Penalize(n int) {
	b.mu.Lock() // HAZ lock-leaked-on-return
	if n < 0 {
		panic("limiter: negative penalty")
	}
	b.refillLocked()
	b.tokens -= float64(n)
	b.mu.Unlock()
}

// Tokens reports the tokens currently available, after refill.
func (b *TokenBucket) Tokens() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked()
	return b.tokens
}

// SetRate changes the refill rate and capacity, keeping the accrued tokens.
func (b *TokenBucket) SetRate(capacity int, perSecond float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked()
	b.capacity = float64(capacity)
	b.rate = perSecond
	if b.tokens > b.capacity {
		b.tokens = b.capacity
	}
}
