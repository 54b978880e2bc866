// Package ratelimit implements a token bucket, a sliding-window limiter and a
// keyed limiter that holds one bucket per client.
package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"
)

// TokenBucket refills at rate tokens per second up to burst.
type TokenBucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

// NewTokenBucket returns a full bucket.
func NewTokenBucket(rate float64, burst int) *TokenBucket {
	return &TokenBucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now(), now: time.Now}
}

// refillLocked adds the tokens earned since the last call; caller holds mu.
func (tb *TokenBucket) refillLocked(now time.Time) {
	if now.After(tb.last) {
		tb.tokens = math.Min(tb.burst, tb.tokens+now.Sub(tb.last).Seconds()*tb.rate)
		tb.last = now
	}
}

// Allow takes one token if available.
func (tb *TokenBucket) Allow() bool { return tb.AllowN(1) }

// AllowN takes n tokens if available.
func (tb *TokenBucket) AllowN(n int) bool {
	tb.mu.Lock() // HAZ lock-leaked-on-return
	if float64(n) > tb.burst {
		return false
	}
	tb.refillLocked(tb.now())
	ok := tb.tokens >= float64(n)
	if ok {
		tb.tokens -= float64(n)
	}
	tb.mu.Unlock()
	return ok
}

// reserve takes a token if one is available, otherwise reports how long
// until one will be.
func (tb *TokenBucket) reserve() (time.Duration, bool) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.refillLocked(tb.now())
	if tb.tokens >= 1 {
		tb.tokens--
		return 0, true
	}
	if tb.rate <= 0 {
		return time.Hour, false
	}
	return time.Duration((1 - tb.tokens) / tb.rate * float64(time.Second)), false
}

// Wait blocks until a token is available or ctx ends.
func (tb *TokenBucket) Wait(ctx context.Context) error {
	t := time.NewTimer(time.Hour)
	defer t.Stop() // ok: outside the loop
	for {
		d, ok := tb.reserve()
		if ok {
			return nil
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// SetRate changes the refill rate, crediting tokens earned at the old rate.
func (tb *TokenBucket) SetRate(rate float64) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.refillLocked(tb.now()) // ok: the Locked helper does not lock
	tb.rate = rate
}

// Tokens reports the current number of tokens.
func (tb *TokenBucket) Tokens() float64 {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.refillLocked(tb.now())
	return tb.tokens
}

// Refund returns n tokens, e.g. when a request was rejected downstream.
func (tb *TokenBucket) Refund(n int) {
	tb.mu.Lock()
	if n <= 0 {
		tb.mu.Unlock()
		return
	}
	tb.tokens = math.Min(tb.burst, tb.tokens+float64(n))
	tb.mu.Unlock() // ok: both paths unlock
}
