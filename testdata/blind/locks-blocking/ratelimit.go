package blindc

import (
	"context"
	"math"
	"sort"
	"sync"
	"time"
)

// TokenBucket is a classic token-bucket rate limiter. The mutex is embedded.
type TokenBucket struct {
	sync.Mutex
	tokens   float64
	capacity float64
	rate     float64 // tokens per second
	last     time.Time
}

// NewTokenBucket returns a full bucket.
func NewTokenBucket(rate, burst float64) *TokenBucket {
	return &TokenBucket{tokens: burst, capacity: burst, rate: rate, last: time.Now()}
}

// refillLocked must be called with b locked.
func (b *TokenBucket) refillLocked(now time.Time) {
	elapsed := now.Sub(b.last).Seconds()
	if elapsed > 0 {
		b.tokens = math.Min(b.capacity, b.tokens+elapsed*b.rate)
		b.last = now
	}
}

// Allow takes one token if available.
func (b *TokenBucket) Allow() bool {
	b.Lock()
	defer b.Unlock()
	b.refillLocked(time.Now())
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// ---------------------------------------------------------------------------
// lock-reentry-under-defer

// AllowBurst takes up to n tokens and reports how many were granted.
func (b *TokenBucket) AllowBurst(n int) int {
	b.Lock()
	defer b.Unlock()
	granted := 0
	for granted < n {
		if !b.Allow() { // HAZ lock-reentry-under-defer
			break
		}
		granted++
	}
	return granted
}

// AllowN takes n tokens atomically, or none.
func (b *TokenBucket) AllowN(n int) bool {
	b.Lock()
	defer b.Unlock()
	b.refillLocked(time.Now()) // ok: Locked helper
	if b.tokens < float64(n) {
		return false
	}
	b.tokens -= float64(n)
	return true
}

// ---------------------------------------------------------------------------
// lock-leaked-on-return

// TakeN takes n tokens if they are available.
func (b *TokenBucket) TakeN(n float64) bool {
	b.Lock() // HAZ lock-leaked-on-return
	b.refillLocked(time.Now())
	if b.tokens < n {
		return false
	}
	b.tokens -= n
	b.Unlock()
	return true
}

// TryTake takes a token without waiting for a contended bucket.
func (b *TokenBucket) TryTake() bool {
	if !b.TryLock() {
		return false // ok: the lock was not acquired on this path
	}
	defer b.Unlock()
	b.refillLocked(time.Now())
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Wait blocks until a token is available or ctx is done. The lock is taken
// and released once per iteration.
func (b *TokenBucket) Wait(ctx context.Context) error {
	for {
		b.Lock()
		b.refillLocked(time.Now())
		if b.tokens >= 1 {
			b.tokens--
			b.Unlock()
			return nil
		}
		missing := 1 - b.tokens
		rate := b.rate
		b.Unlock()

		t := time.NewTimer(time.Duration(missing / rate * float64(time.Second)))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// ---------------------------------------------------------------------------
// defer-blocking-call

// Throttle spaces calls at least interval apart.
type Throttle struct {
	interval time.Duration
}

// Do runs fn and then keeps the caller parked for the interval.
func (t *Throttle) Do(fn func() error) error {
	defer time.Sleep(t.interval) // HAZ defer-blocking-call
	return fn()
}

// Pace waits for the interval (or ctx) up front and then runs fn.
func (t *Throttle) Pace(ctx context.Context, fn func() error) error {
	timer := time.NewTimer(t.interval)
	defer timer.Stop() // ok: Stop never blocks
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
	}
	return fn()
}

// ---------------------------------------------------------------------------
// KeyedLimiter keeps one bucket per client key behind a shared *RWMutex.
type KeyedLimiter struct {
	mu      *sync.RWMutex
	buckets map[string]*TokenBucket
	rate    float64
	burst   float64
}

// NewKeyedLimiter returns an empty limiter.
func NewKeyedLimiter(rate, burst float64) *KeyedLimiter {
	return &KeyedLimiter{mu: new(sync.RWMutex), buckets: make(map[string]*TokenBucket), rate: rate, burst: burst}
}

// BucketFor returns the bucket for key, or nil.
func (l *KeyedLimiter) BucketFor(key string) *TokenBucket {
	l.mu.RLock()
	defer l.mu.Unlock() // HAZ defer-lock-mismatch
	return l.buckets[key]
}

// Keys lists the known client keys.
func (l *KeyedLimiter) Keys() []string {
	rl := l.mu.RLocker()
	rl.Lock()
	defer rl.Unlock() // ok: RLocker maps Lock/Unlock to RLock/RUnlock
	keys := make([]string, 0, len(l.buckets))
	for k := range l.buckets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Forget drops the bucket for key.
func (l *KeyedLimiter) Forget(key string) bool {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := l.buckets[key]; !ok {
		return false
	}
	delete(l.buckets, key)
	l.mu.Unlock()
	return true
}

// Exclusive hands the bucket map to the caller with the write lock held; the
// caller must call release when done.
func (l *KeyedLimiter) Exclusive() (buckets map[string]*TokenBucket, release func()) {
	l.mu.Lock() // ok: hand-off, released through the returned func
	return l.buckets, l.mu.Unlock
}

// AllowKey creates buckets lazily.
func (l *KeyedLimiter) AllowKey(key string) bool {
	l.mu.Lock()
	b, ok := l.buckets[key]
	if !ok {
		b = NewTokenBucket(l.rate, l.burst)
		l.buckets[key] = b
	}
	l.mu.Unlock()
	return b.Allow()
}
