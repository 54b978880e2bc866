// Package ratelimit implements token buckets for per-client and per-address
// message rate limiting.
package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Bucket is a token bucket refilled at a constant rate.
type Bucket struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

// NewBucket returns a full bucket.
func NewBucket(ratePerSec float64, burst int) *Bucket {
	if burst < 1 {
		burst = 1
	}
	return &Bucket{
		rate:   ratePerSec,
		burst:  float64(burst),
		tokens: float64(burst),
		last:   time.Now(),
		now:    time.Now,
	}
}

// refillLocked adds the tokens earned since the last call; b.mu must be held.
func (b *Bucket) refillLocked(now time.Time) {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens += elapsed.Seconds() * b.rate
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
	}
	b.last = now
}

// Allow takes one token if available.
func (b *Bucket) Allow() bool { return b.AllowN(1) }

// AllowN takes n tokens if available.
func (b *Bucket) AllowN(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked(b.now())
	if b.tokens < float64(n) {
		return false
	}
	b.tokens -= float64(n)
	return true
}

// Wait blocks until a token is available or ctx is done.
func (b *Bucket) Wait(ctx context.Context) error {
	for {
		b.mu.Lock()
		b.refillLocked(b.now())
		if b.tokens >= 1 {
			b.tokens--
			b.mu.Unlock()
			return nil
		}
		delay := time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
		b.mu.Unlock()

		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// lastUse returns the time of the last refill.
func (b *Bucket) lastUse() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last
}

// Limiter keeps one bucket per key (remote address, nick).
type Limiter struct {
	mu      sync.Mutex
	buckets map[string]*Bucket
	rate    float64
	burst   int
}

// NewLimiter returns a limiter creating buckets with the given parameters.
func NewLimiter(ratePerSec float64, burst int) *Limiter {
	return &Limiter{buckets: make(map[string]*Bucket), rate: ratePerSec, burst: burst}
}

// Get returns the bucket for key, creating it on first use.
func (l *Limiter) Get(key string) *Bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		b = NewBucket(l.rate, l.burst)
		l.buckets[key] = b
	}
	return b
}

// Allow takes one token from key's bucket.
func (l *Limiter) Allow(key string) bool {
	return l.Get(key).Allow()
}

// Forget drops key's bucket.
func (l *Limiter) Forget(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, key)
}

// Prune drops buckets unused for longer than idle and returns how many.
func (l *Limiter) Prune(idle time.Duration, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for key, b := range l.buckets {
		if now.Sub(b.lastUse()) > idle {
			l.Forget(key) // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// Len returns the number of tracked keys.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
