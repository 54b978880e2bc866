package workqueue

import (
	"math"
	"sync"
	"time"
)

// RateLimiter decides how long an item waits before its next retry.
type RateLimiter interface {
	When(item string) time.Duration
	Forget(item string)
	NumRequeues(item string) int
}

// ExponentialFailureRateLimiter doubles the delay on every failure of the same item.
type ExponentialFailureRateLimiter struct {
	mu       sync.Mutex
	failures map[string]int
	base     time.Duration
	max      time.Duration
}

// NewExponentialFailureRateLimiter returns a limiter starting at base and capped at max.
func NewExponentialFailureRateLimiter(base, max time.Duration) *ExponentialFailureRateLimiter {
	return &ExponentialFailureRateLimiter{failures: make(map[string]int), base: base, max: max}
}

// When records a failure of item and returns its backoff.
func (r *ExponentialFailureRateLimiter) When(item string) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	exp := r.failures[item]
	r.failures[item]++
	backoff := float64(r.base.Nanoseconds()) * math.Pow(2, float64(exp))
	if backoff > math.MaxInt64 || time.Duration(backoff) > r.max {
		return r.max
	}
	return time.Duration(backoff)
}

// Forget clears the failure history of item.
func (r *ExponentialFailureRateLimiter) Forget(item string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.failures, item)
}

// NumRequeues returns how often item failed since it was last forgotten.
func (r *ExponentialFailureRateLimiter) NumRequeues(item string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failures[item]
}

// RateLimitingQueue adds rate-limited retries to a DelayingQueue.
type RateLimitingQueue struct {
	*DelayingQueue
	limiter RateLimiter
}

// NewRateLimitingQueue returns a queue using limiter for retries.
func NewRateLimitingQueue(limiter RateLimiter) *RateLimitingQueue {
	return &RateLimitingQueue{DelayingQueue: NewDelayingQueue(), limiter: limiter}
}

// AddRateLimited re-adds item after the limiter's backoff.
func (q *RateLimitingQueue) AddRateLimited(item string) {
	q.AddAfter(item, q.limiter.When(item))
}

// Forget stops tracking retries of item.
func (q *RateLimitingQueue) Forget(item string) { q.limiter.Forget(item) }

// NumRequeues returns how often item was retried.
func (q *RateLimitingQueue) NumRequeues(item string) int { return q.limiter.NumRequeues(item) }
