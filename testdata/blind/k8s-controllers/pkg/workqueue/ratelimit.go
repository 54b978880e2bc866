package workqueue

import (
	"math"
	"sync"
	"time"
)

// RateLimiter decides how long an item waits before being retried.
type RateLimiter interface {
	When(item string) time.Duration
	Forget(item string)
	NumRequeues(item string) int
}

// ItemExponentialFailureRateLimiter doubles the delay on every failure of
// the same item.
type ItemExponentialFailureRateLimiter struct {
	mu       sync.Mutex
	failures map[string]int
	base     time.Duration
	max      time.Duration
}

// NewItemExponentialFailureRateLimiter returns a limiter from base to max.
func NewItemExponentialFailureRateLimiter(base, max time.Duration) *ItemExponentialFailureRateLimiter {
	return &ItemExponentialFailureRateLimiter{failures: map[string]int{}, base: base, max: max}
}

// When implements RateLimiter.
func (r *ItemExponentialFailureRateLimiter) When(item string) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	exp := r.NumRequeues(item) // HAZ lock-reentry-under-defer
	r.failures[item] = exp + 1
	backoff := float64(r.base.Nanoseconds()) * math.Pow(2, float64(exp))
	if backoff > math.MaxInt64 {
		return r.max
	}
	d := time.Duration(backoff)
	if d > r.max {
		return r.max
	}
	return d
}

// NumRequeues implements RateLimiter.
func (r *ItemExponentialFailureRateLimiter) NumRequeues(item string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failures[item]
}

// Forget implements RateLimiter.
func (r *ItemExponentialFailureRateLimiter) Forget(item string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.failures, item)
}

// BucketRateLimiter is an overall token bucket shared by all items.
type BucketRateLimiter struct {
	mu     sync.Mutex
	tokens float64
	burst  float64
	qps    float64
	last   time.Time
	now    func() time.Time
}

// NewBucketRateLimiter returns a full bucket.
func NewBucketRateLimiter(qps float64, burst int) *BucketRateLimiter {
	return &BucketRateLimiter{tokens: float64(burst), burst: float64(burst), qps: qps, now: time.Now}
}

// When implements RateLimiter by reserving one token.
func (b *BucketRateLimiter) When(string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if !b.last.IsZero() {
		b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.qps)
	}
	b.last = now
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.qps * float64(time.Second))
}

// Forget implements RateLimiter; the bucket is not per item.
func (b *BucketRateLimiter) Forget(string) {}

// NumRequeues implements RateLimiter; the bucket is not per item.
func (b *BucketRateLimiter) NumRequeues(string) int { return 0 }

// MaxOfRateLimiter returns the longest delay of its limiters.
type MaxOfRateLimiter struct {
	limiters []RateLimiter
}

// NewMaxOfRateLimiter combines limiters.
func NewMaxOfRateLimiter(limiters ...RateLimiter) *MaxOfRateLimiter {
	return &MaxOfRateLimiter{limiters: limiters}
}

// When implements RateLimiter.
func (m *MaxOfRateLimiter) When(item string) time.Duration {
	var longest time.Duration
	for _, l := range m.limiters {
		if d := l.When(item); d > longest {
			longest = d
		}
	}
	return longest
}

// Forget implements RateLimiter.
func (m *MaxOfRateLimiter) Forget(item string) {
	for _, l := range m.limiters {
		l.Forget(item)
	}
}

// NumRequeues implements RateLimiter.
func (m *MaxOfRateLimiter) NumRequeues(item string) int {
	n := 0
	for _, l := range m.limiters {
		n = max(n, l.NumRequeues(item))
	}
	return n
}

// DefaultControllerRateLimiter is per-item exponential backoff capped by an
// overall 10 qps / 100 burst bucket.
func DefaultControllerRateLimiter() RateLimiter {
	return NewMaxOfRateLimiter(
		NewItemExponentialFailureRateLimiter(5*time.Millisecond, 1000*time.Second),
		NewBucketRateLimiter(10, 100),
	)
}

// RateLimitingQueue is a DelayingQueue whose retries go through a limiter.
type RateLimitingQueue struct {
	*DelayingQueue
	limiter RateLimiter
}

// NewRateLimitingQueue returns a queue using limiter for retries.
func NewRateLimitingQueue(limiter RateLimiter) *RateLimitingQueue {
	return &RateLimitingQueue{DelayingQueue: NewDelayingQueue(), limiter: limiter}
}

// AddRateLimited re-adds item after the limiter's delay.
func (q *RateLimitingQueue) AddRateLimited(item string) {
	q.AddAfter(item, q.limiter.When(item))
}

// Forget clears the failure history of item.
func (q *RateLimitingQueue) Forget(item string) {
	q.limiter.Forget(item)
}

// NumRequeues returns how often item has been retried.
func (q *RateLimitingQueue) NumRequeues(item string) int {
	return q.limiter.NumRequeues(item)
}
