// Package workqueue implements a de-duplicating, rate-limited work queue in
// the style of client-go's workqueue.
package workqueue

import (
	"context"
	"sync"
	"time"
)

// RateLimiter decides how long an item waits before it is retried.
type RateLimiter interface {
	When(item string) time.Duration
	Forget(item string)
	NumRequeues(item string) int
}

// ItemExponentialLimiter doubles the delay of an item on every failure.
type ItemExponentialLimiter struct {
	mu       sync.Mutex
	failures map[string]int
	base     time.Duration
	max      time.Duration
}

// NewItemExponentialLimiter returns a limiter starting at base and capped
// at max.
func NewItemExponentialLimiter(base, max time.Duration) *ItemExponentialLimiter {
	return &ItemExponentialLimiter{failures: make(map[string]int), base: base, max: max}
}

// When records a failure of item and returns its next delay.
func (l *ItemExponentialLimiter) When(item string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	exp := l.failures[item]
	l.failures[item] = exp + 1
	if exp >= 32 {
		return l.max
	}
	d := l.base << exp
	if d <= 0 || d > l.max {
		return l.max
	}
	return d
}

// Forget clears the failure history of item.
func (l *ItemExponentialLimiter) Forget(item string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, item)
}

// NumRequeues returns how often item failed since it was last forgotten.
func (l *ItemExponentialLimiter) NumRequeues(item string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failures[item]
}

// BucketLimiter is an overall token bucket shared by all items.
type BucketLimiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

// NewBucketLimiter allows qps items per second with bursts of burst.
func NewBucketLimiter(qps float64, burst int) *BucketLimiter {
	return &BucketLimiter{
		rate:   qps,
		burst:  float64(burst),
		tokens: float64(burst),
		last:   time.Now(),
		now:    time.Now,
	}
}

// reserve takes a token and returns how long the caller has to wait before
// it may use it.
func (b *BucketLimiter) reserve() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second))
}

// unreserve gives back a token that was reserved but not used.
func (b *BucketLimiter) unreserve() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(b.burst, b.tokens+1)
}

// When implements RateLimiter.
func (b *BucketLimiter) When(string) time.Duration { return b.reserve() }

// Forget implements RateLimiter; the bucket keeps no per-item state.
func (b *BucketLimiter) Forget(string) {}

// NumRequeues implements RateLimiter.
func (b *BucketLimiter) NumRequeues(string) int { return 0 }

// Wait blocks until a token is available or ctx is done.
func (b *BucketLimiter) Wait(ctx context.Context) error {
	d := b.reserve()
	if d == 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		b.unreserve()
		return ctx.Err()
	}
}

// MaxOfLimiter returns the longest delay of its limiters.
type MaxOfLimiter []RateLimiter

// When implements RateLimiter.
func (m MaxOfLimiter) When(item string) time.Duration {
	var d time.Duration
	for _, l := range m {
		d = max(d, l.When(item))
	}
	return d
}

// Forget implements RateLimiter.
func (m MaxOfLimiter) Forget(item string) {
	for _, l := range m {
		l.Forget(item)
	}
}

// NumRequeues implements RateLimiter.
func (m MaxOfLimiter) NumRequeues(item string) int {
	n := 0
	for _, l := range m {
		n = max(n, l.NumRequeues(item))
	}
	return n
}

// DefaultControllerRateLimiter combines per-item exponential backoff with an
// overall bucket of 10 qps and a burst of 100, like client-go.
func DefaultControllerRateLimiter() RateLimiter {
	return MaxOfLimiter{
		NewItemExponentialLimiter(5*time.Millisecond, 1000*time.Second),
		NewBucketLimiter(10, 100),
	}
}
