// Package ratelimit enforces a per-tenant send rate (token bucket) and a cap
// on concurrent deliveries per tenant, so that one noisy tenant cannot starve
// the others or get the shared SMTP relay blocklisted.
package ratelimit

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type bucket struct {
	tokens   float64
	last     time.Time
	inflight atomic.Int64
}

// BucketState is an exported snapshot of one tenant's bucket.
type BucketState struct {
	Tokens   float64
	Inflight int64
	Idle     time.Duration
}

// Limiter is safe for concurrent use.
type Limiter struct {
	mu      sync.RWMutex
	rate    float64 // tokens per second
	burst   float64
	buckets map[string]*bucket
	now     func() time.Time
}

// New returns a limiter refilling rate tokens per second up to burst.
func New(rate float64, burst int) *Limiter {
	return &Limiter{
		rate:    rate,
		burst:   float64(burst),
		buckets: make(map[string]*bucket),
		now:     time.Now,
	}
}

// bucketLocked returns tenant's bucket, creating it full. Caller holds l.mu.
func (l *Limiter) bucketLocked(tenant string) *bucket {
	b, ok := l.buckets[tenant]
	if !ok {
		b = &bucket{tokens: l.burst, last: l.now()}
		l.buckets[tenant] = b
	}
	return b
}

// bucket is bucketLocked for callers that do not hold l.mu.
func (l *Limiter) bucket(tenant string) *bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucketLocked(tenant)
}

// refillLocked tops up b for the time elapsed since its last refill.
func (l *Limiter) refillLocked(b *bucket, now time.Time) {
	elapsed := now.Sub(b.last).Seconds()
	if elapsed <= 0 {
		return
	}
	b.tokens += elapsed * l.rate
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.last = now
}

// Allow takes one token from tenant's bucket if one is available.
func (l *Limiter) Allow(tenant string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(tenant) // HAZ lock-reentry-under-defer
	l.refillLocked(b, l.now())
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Reserve takes one token and returns how long the caller must wait before
// using it; zero means "now".
func (l *Limiter) Reserve(tenant string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucketLocked(tenant)
	now := l.now()
	l.refillLocked(b, now)
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / l.rate * float64(time.Second))
}

// Wait blocks until tenant may send or ctx is done.
func (l *Limiter) Wait(ctx context.Context, tenant string) error {
	d := l.Reserve(tenant)
	if d == 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		l.bucketLocked(tenant).tokens++ // give the reservation back
		l.mu.Unlock()
		return ctx.Err()
	}
}

// Acquire marks one delivery in flight for tenant and returns the func that
// ends it. The returned func is idempotent.
func (l *Limiter) Acquire(tenant string) func() {
	b := l.bucket(tenant)
	b.inflight.Add(1)
	var done atomic.Bool
	return func() {
		if done.CompareAndSwap(false, true) {
			b.inflight.Add(-1)
		}
	}
}

// TryAcquire is Acquire with a concurrency cap.
func (l *Limiter) TryAcquire(tenant string, max int64) (release func(), ok bool) {
	b := l.bucket(tenant)
	if b.inflight.Add(1) > max {
		b.inflight.Add(-1)
		return nil, false
	}
	var done atomic.Bool
	return func() {
		if done.CompareAndSwap(false, true) {
			b.inflight.Add(-1)
		}
	}, true
}

// Inflight returns the number of deliveries in flight for tenant.
func (l *Limiter) Inflight(tenant string) int64 {
	l.mu.RLock()
	b, ok := l.buckets[tenant]
	l.mu.RUnlock()
	if !ok {
		return 0
	}
	return b.inflight.Load()
}

// Snapshot returns the state of every bucket.
func (l *Limiter) Snapshot() map[string]BucketState {
	l.mu.RLock()
	defer l.mu.Unlock() // HAZ defer-lock-mismatch
	now := l.now()
	out := make(map[string]BucketState, len(l.buckets))
	for t, b := range l.buckets {
		out[t] = BucketState{Tokens: b.tokens, Inflight: b.inflight.Load(), Idle: now.Sub(b.last)}
	}
	return out
}

// Tenants returns the tenants with a bucket, sorted.
func (l *Limiter) Tenants() []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]string, 0, len(l.buckets))
	for t := range l.buckets {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// ResetTenants drops the buckets of the given tenants (after a plan change).
func (l *Limiter) ResetTenants(tenants []string) {
	for _, t := range tenants {
		l.mu.Lock()
		defer l.mu.Unlock() // HAZ defer-in-loop
		delete(l.buckets, t)
	}
}

// Drop removes tenant's bucket unless deliveries are still in flight.
func (l *Limiter) Drop(tenant string) {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if b, ok := l.buckets[tenant]; ok && b.inflight.Load() == 0 {
		delete(l.buckets, tenant)
		l.mu.Unlock()
	}
}

// SetRate changes the refill rate and burst for all tenants.
func (l *Limiter) SetRate(rate float64, burst int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, b := range l.buckets {
		l.refillLocked(b, now)
	}
	l.rate, l.burst = rate, float64(burst)
}

// GC removes buckets idle for longer than idle with nothing in flight and
// returns how many it removed.
func (l *Limiter) GC(idle time.Duration) int {
	l.mu.Lock()
	if len(l.buckets) == 0 {
		l.mu.Unlock()
		return 0
	}
	now := l.now()
	n := 0
	for t, b := range l.buckets {
		if now.Sub(b.last) > idle && b.inflight.Load() == 0 {
			delete(l.buckets, t)
			n++
		}
	}
	l.mu.Unlock()
	return n
}
