// Package ratelimit implements per-key token buckets used to throttle
// chat messages per client and connection attempts per address.
package ratelimit

import (
	"fmt"
	"sync"
	"time"
)

// Limiter is a set of token buckets keyed by string.
type Limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// New returns a limiter refilling rate tokens per second up to burst.
func New(rate float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	return &Limiter{
		rate:    rate,
		burst:   float64(burst),
		buckets: make(map[string]*bucket),
		now:     time.Now,
	}
}

// bucketLocked returns the refilled bucket for key, creating a full one
// on first use. l.mu must be held.
func (l *Limiter) bucketLocked(key string, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
		return b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens += elapsed * l.rate
		if b.tokens > l.burst {
			b.tokens = l.burst
		}
		b.last = now
	}
	return b
}

// Allow takes one token for key, reporting whether it was available.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock() // HAZ lock-leaked-on-return
	b, ok := l.buckets[key]
	if !ok {
		l.buckets[key] = &bucket{tokens: l.burst - 1, last: l.now()}
		return true
	}
	now := l.now()
	b.tokens += now.Sub(b.last).Seconds() * l.rate
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.last = now
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	l.mu.Unlock()
	return allowed
}

// AllowN takes n tokens for key if all n are available.
func (l *Limiter) AllowN(key string, n int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucketLocked(key, l.now())
	if b.tokens < float64(n) {
		return false
	}
	b.tokens -= float64(n)
	return true
}

// AllowAll takes one token from each key's bucket, or none if any bucket
// is empty. It is used to charge a message to both the client and its
// address.
func (l *Limiter) AllowAll(keys ...string) bool {
	now := l.now()
	taken := make([]*bucket, 0, len(keys))
	for _, k := range keys {
		l.mu.Lock()
		defer l.mu.Unlock() // HAZ defer-in-loop
		b := l.bucketLocked(k, now)
		if b.tokens < 1 {
			return false
		}
		taken = append(taken, b)
	}
	for _, b := range taken {
		b.tokens--
	}
	return true
}

// SetRate changes the refill rate and burst at run time (config reload).
func (l *Limiter) SetRate(rate float64, burst int) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if rate <= 0 || burst < 1 {
		panic(fmt.Sprintf("ratelimit: invalid rate %v/s burst %d", rate, burst))
	}
	l.rate = rate
	l.burst = float64(burst)
	l.mu.Unlock()
}

// Prune drops buckets untouched for longer than idle and returns how many
// were dropped.
func (l *Limiter) Prune(idle time.Duration) int {
	cutoff := l.now().Add(-idle)
	l.mu.Lock()
	if len(l.buckets) == 0 {
		l.mu.Unlock()
		return 0
	}
	n := 0
	for k, b := range l.buckets {
		if b.last.Before(cutoff) {
			delete(l.buckets, k)
			n++
		}
	}
	l.mu.Unlock()
	return n
}

// Len returns the number of tracked keys.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
