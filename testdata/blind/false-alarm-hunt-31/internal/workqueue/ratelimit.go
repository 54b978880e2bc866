package workqueue

import (
	"math"
	"sync"
	"time"
)

// RateLimiter decides how long an item waits before a retry.
type RateLimiter interface {
	When(item string) time.Duration
	Forget(item string)
	NumRequeues(item string) int
}

// ExponentialLimiter doubles the delay per failure of the same item.
type ExponentialLimiter struct {
	mu       sync.Mutex
	failures map[string]int
	base     time.Duration
	max      time.Duration
}

// NewExponentialLimiter returns a per-item exponential back-off.
func NewExponentialLimiter(base, maxDelay time.Duration) *ExponentialLimiter {
	return &ExponentialLimiter{failures: make(map[string]int), base: base, max: maxDelay}
}

// When records a failure of item and returns its back-off.
func (r *ExponentialLimiter) When(item string) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	exp := r.failures[item]
	r.failures[item] = exp + 1
	backoff := float64(r.base) * math.Pow(2, float64(exp))
	if backoff > float64(r.max) {
		return r.max
	}
	return time.Duration(backoff)
}

// Forget resets item's failure count.
func (r *ExponentialLimiter) Forget(item string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.failures, item)
}

// NumRequeues returns item's failure count.
func (r *ExponentialLimiter) NumRequeues(item string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failures[item]
}

// BucketLimiter is an overall token bucket shared by all items.
type BucketLimiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

// NewBucketLimiter returns a bucket that starts full.
func NewBucketLimiter(rate float64, burst int) *BucketLimiter {
	return &BucketLimiter{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now()}
}

// When reserves one token and returns how long to wait for it.
func (b *BucketLimiter) When(string) time.Duration {
	b.mu.Lock()
	now := time.Now()
	b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	b.tokens--
	deficit := -b.tokens
	b.mu.Unlock()
	if deficit <= 0 {
		return 0
	}
	return time.Duration(deficit / b.rate * float64(time.Second))
}

// Forget is a no-op: the bucket is not per item.
func (b *BucketLimiter) Forget(string) {}

// NumRequeues is always 0 for the bucket.
func (b *BucketLimiter) NumRequeues(string) int { return 0 }

// MaxOf combines limiters by taking the longest delay.
type MaxOf []RateLimiter

// When returns the maximum of the limiters' delays.
func (m MaxOf) When(item string) time.Duration {
	var d time.Duration
	for _, l := range m {
		d = max(d, l.When(item))
	}
	return d
}

// Forget forwards to all limiters.
func (m MaxOf) Forget(item string) {
	for _, l := range m {
		l.Forget(item)
	}
}

// NumRequeues returns the highest count of the limiters.
func (m MaxOf) NumRequeues(item string) int {
	n := 0
	for _, l := range m {
		n = max(n, l.NumRequeues(item))
	}
	return n
}

// DefaultLimiter is per-item exponential back-off capped by an overall bucket.
func DefaultLimiter() RateLimiter {
	return MaxOf{
		NewExponentialLimiter(5*time.Millisecond, 1000*time.Second),
		NewBucketLimiter(10, 100),
	}
}

// Decay forgives one failure of item, for items that made progress.
func (r *ExponentialLimiter) Decay(item string) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	n := r.failures[item]
	if n <= 1 {
		delete(r.failures, item)
		r.mu.Unlock()
		return
	}
	r.failures[item] = n - 1
}

// DecayAll forgives one failure of every item.
func (r *ExponentialLimiter) DecayAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for item, n := range r.failures {
		if n <= 1 {
			delete(r.failures, item)
			continue
		}
		r.failures[item] = n - 1
	}
}
