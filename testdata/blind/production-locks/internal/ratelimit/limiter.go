// Package ratelimit implements the per-tenant token buckets of the API
// gateway.
package ratelimit

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sync"
	"time"
)

var errInvalidBurst = errors.New("ratelimit: burst must be positive")

type bucket struct {
	tokens float64
	rate   float64 // tokens per second
	burst  int
	last   time.Time
}

func (b *bucket) advance(now time.Time) {
	elapsed := now.Sub(b.last).Seconds()
	if elapsed > 0 {
		b.tokens = math.Min(float64(b.burst), b.tokens+elapsed*b.rate)
		b.last = now
	}
}

// KeyedLimiter holds one bucket per API key.
type KeyedLimiter struct {
	mu       sync.RWMutex
	buckets  map[string]*bucket
	defRate  float64
	defBurst int
	now      func() time.Time
	log      *slog.Logger
}

func NewKeyed(rate float64, burst int, log *slog.Logger) *KeyedLimiter {
	return &KeyedLimiter{
		buckets:  make(map[string]*bucket),
		defRate:  rate,
		defBurst: burst,
		now:      time.Now,
		log:      log,
	}
}

func (l *KeyedLimiter) newBucket() *bucket {
	return &bucket{tokens: float64(l.defBurst), rate: l.defRate, burst: l.defBurst, last: l.now()}
}

// Reserve takes n tokens from key's bucket and reports how long the caller
// has to wait before acting.
func (l *KeyedLimiter) Reserve(key string, n int) (time.Duration, error) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	b, ok := l.buckets[key]
	if !ok {
		b = l.newBucket()
		l.buckets[key] = b
	}
	if n > b.burst {
		return 0, fmt.Errorf("ratelimit: reserve %d tokens for %q exceeds burst %d", n, key, b.burst)
	}
	b.advance(l.now())
	b.tokens -= float64(n)
	var wait time.Duration
	if b.tokens < 0 {
		wait = time.Duration(-b.tokens / b.rate * float64(time.Second))
	}
	l.mu.Unlock()
	return wait, nil
}

// SetLimit changes the limit of an existing key.
func (l *KeyedLimiter) SetLimit(key string, rate float64, burst int) error {
	l.mu.Lock()
	b, ok := l.buckets[key]
	switch {
	case !ok:
		l.mu.Unlock()
		return fmt.Errorf("ratelimit: unknown key %q", key)
	case burst <= 0:
		l.mu.Unlock()
		return errInvalidBurst
	default:
		b.advance(l.now())
		b.rate, b.burst = rate, burst
		b.tokens = math.Min(b.tokens, float64(burst))
	}
	l.mu.Unlock()
	l.log.Debug("limit updated", "key", key, "rate", rate, "burst", burst)
	return nil
}

// lockedBucket returns key's bucket with l.mu held for writing. The caller
// must unlock l.mu when it is done with the bucket.
func (l *KeyedLimiter) lockedBucket(key string) *bucket {
	l.mu.Lock() // ok: hand-off, the caller unlocks
	b, ok := l.buckets[key]
	if !ok {
		b = l.newBucket()
		l.buckets[key] = b
	}
	return b
}

// Refund returns tokens of a reservation that was not used.
func (l *KeyedLimiter) Refund(key string, n int) {
	b := l.lockedBucket(key)
	defer l.mu.Unlock()
	b.advance(l.now())
	b.tokens = math.Min(float64(b.burst), b.tokens+float64(n))
}

// Len reports the number of tracked keys (exported as a gauge).
func (l *KeyedLimiter) Len() int {
	l.mu.RLock()
	defer l.mu.Unlock() // HAZ defer-lock-mismatch
	return len(l.buckets)
}

// Keys returns the tracked keys in sorted order.
func (l *KeyedLimiter) Keys() []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	keys := make([]string, 0, len(l.buckets))
	for k := range l.buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// bucketFor returns key's bucket, creating it under the write lock on a miss.
func (l *KeyedLimiter) bucketFor(key string) *bucket {
	l.mu.RLock()
	b, ok := l.buckets[key]
	l.mu.RUnlock()
	if ok {
		return b
	}
	l.mu.Lock()
	defer l.mu.Unlock() // ok: pairs with the Lock above; the RLock was released
	if b, ok := l.buckets[key]; ok {
		return b
	}
	b = l.newBucket()
	l.buckets[key] = b
	return b
}

// Peek reports the tokens currently available for key without consuming any.
func (l *KeyedLimiter) Peek(key string) float64 {
	b := l.bucketFor(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	b.advance(l.now())
	return b.tokens
}

// TokenBucket is a single global limiter used for the admin API.
type TokenBucket struct {
	mu     sync.RWMutex
	b      bucket
	now    func() time.Time
	denied uint64
}

type BucketStats struct {
	Available float64
	Rate      float64
	Burst     int
	Denied    uint64
}

func NewTokenBucket(rate float64, burst int) *TokenBucket {
	now := time.Now
	return &TokenBucket{b: bucket{tokens: float64(burst), rate: rate, burst: burst, last: now()}, now: now}
}

func (t *TokenBucket) refill() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.advance(t.now())
}

// Allow takes one token if available.
func (t *TokenBucket) Allow() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.advance(t.now()) // ok: bucket.advance takes no lock
	if t.b.tokens < 1 {
		t.denied++
		return false
	}
	t.b.tokens--
	return true
}

// Stats is scraped by the metrics exporter.
func (t *TokenBucket) Stats() BucketStats {
	t.mu.RLock()
	defer t.mu.RUnlock()
	t.refill() // HAZ lock-reentry-under-defer
	return BucketStats{Available: t.b.tokens, Rate: t.b.rate, Burst: t.b.burst, Denied: t.denied}
}

// SetRate changes the refill rate, crediting tokens accrued at the old rate.
func (t *TokenBucket) SetRate(rate float64) {
	t.mu.Lock()
	defer t.mu.RUnlock() // HAZ defer-lock-mismatch
	t.b.advance(t.now())
	t.b.rate = rate
}
