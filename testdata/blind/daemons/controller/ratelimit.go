package controller

import (
	"context"
	"math"
	"sync"
	"time"
)

// RateLimiter decides how long an item has to wait before it is retried.
type RateLimiter interface {
	When(item string) time.Duration
	Forget(item string)
}

// ExponentialLimiter doubles the delay for every consecutive failure of an item.
type ExponentialLimiter struct {
	Base time.Duration
	Max  time.Duration

	mu       sync.Mutex
	failures map[string]int
}

func (l *ExponentialLimiter) When(item string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failures == nil {
		l.failures = make(map[string]int)
	}
	exp := l.failures[item]
	l.failures[item]++
	d := float64(l.Base) * math.Pow(2, float64(exp))
	if d > float64(l.Max) {
		return l.Max
	}
	return time.Duration(d)
}

func (l *ExponentialLimiter) Forget(item string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, item)
}

// BucketLimiter is a token bucket shared by all items: it caps the overall
// reconcile rate regardless of which keys fail.
type BucketLimiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

func NewBucketLimiter(rate float64, burst int) *BucketLimiter {
	return &BucketLimiter{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now()}
}

// reserve takes a token and returns how long the caller must wait for it.
func (b *BucketLimiter) reserve(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second))
}

// Wait blocks until a token is available or ctx is done.
func (b *BucketLimiter) Wait(ctx context.Context) error {
	d := b.reserve(time.Now())
	if d == 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *BucketLimiter) When(string) time.Duration { return b.reserve(time.Now()) }

func (b *BucketLimiter) Forget(string) {}

// MaxOf combines limiters and uses the longest delay any of them asks for.
type MaxOf []RateLimiter

func (m MaxOf) When(item string) time.Duration {
	var longest time.Duration
	for _, l := range m {
		if d := l.When(item); d > longest {
			longest = d
		}
	}
	return longest
}

func (m MaxOf) Forget(item string) {
	for _, l := range m {
		l.Forget(item)
	}
}
