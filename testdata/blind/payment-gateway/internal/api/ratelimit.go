package api

import (
	"sync"
	"time"
)

type bucket struct {
	mu       sync.Mutex
	tokens   int
	max      int
	lastFill time.Time
}

// merchantLimiter is a token bucket per merchant.
type merchantLimiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	perSec  int
}

func newMerchantLimiter(perSec int) *merchantLimiter {
	return &merchantLimiter{buckets: make(map[string]*bucket), perSec: perSec}
}

func (l *merchantLimiter) bucketFor(id string) *bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[id]
	if !ok {
		b = &bucket{tokens: l.perSec, max: l.perSec, lastFill: time.Now()}
		l.buckets[id] = b
	}
	return b
}

// Allow takes one token from the merchant's bucket.
func (l *merchantLimiter) Allow(id string) bool {
	b := l.bucketFor(id)
	b.mu.Lock()
	defer b.mu.Unlock()
	if elapsed := time.Since(b.lastFill); elapsed >= time.Second {
		b.tokens = b.max
		b.lastFill = time.Now()
	}
	if b.tokens == 0 {
		return false
	}
	b.tokens--
	return true
}

// ResetMerchants refills the buckets of the given merchants (support tool).
func (l *merchantLimiter) ResetMerchants(ids []string) int {
	n := 0
	for _, id := range ids {
		l.mu.Lock()
		defer l.mu.Unlock() // HAZ defer-in-loop
		if b, ok := l.buckets[id]; ok {
			b.tokens = b.max
			n++
		}
	}
	return n
}

// Refill tops up every bucket; each bucket is locked and unlocked inside
// its own function literal.
func (l *merchantLimiter) Refill() {
	l.mu.Lock()
	buckets := make([]*bucket, 0, len(l.buckets))
	for _, b := range l.buckets {
		buckets = append(buckets, b)
	}
	l.mu.Unlock()
	for _, b := range buckets {
		func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.tokens = b.max
			b.lastFill = time.Now()
		}()
	}
}
