package httpreceiver

import (
	"sync"
	"time"
)

// bucket is a token bucket for one tenant.
type bucket struct {
	tokens float64
	last   time.Time
}

func (b *bucket) refill(now time.Time, rate, burst float64) {
	b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
}

// tenantLimiter rate-limits spans per tenant header, with a cap on the
// number of tenants tracked.
type tenantLimiter struct {
	rate       float64
	burst      float64
	maxTenants int
	now        func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

func newTenantLimiter(spansPerSec, burst float64, maxTenants int) *tenantLimiter {
	return &tenantLimiter{
		rate: spansPerSec, burst: burst, maxTenants: maxTenants,
		now: time.Now, buckets: make(map[string]*bucket),
	}
}

// Allow takes n tokens from tenant's bucket. Unknown tenants beyond
// maxTenants are refused.
func (l *tenantLimiter) Allow(tenant string, n int) bool {
	now := l.now()
	l.mu.Lock() // HAZ lock-leaked-on-return
	b, ok := l.buckets[tenant]
	if !ok {
		if len(l.buckets) >= l.maxTenants {
			return false
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[tenant] = b
	}
	b.refill(now, l.rate, l.burst)
	allowed := b.tokens >= float64(n)
	if allowed {
		b.tokens -= float64(n)
	}
	l.mu.Unlock()
	return allowed
}

// Forget stops tracking tenant.
func (l *tenantLimiter) Forget(tenant string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.buckets[tenant]; !ok {
		return false
	}
	delete(l.buckets, tenant)
	return true
}

// sweep forgets tenants idle for longer than idle.
func (l *tenantLimiter) sweep(idle time.Duration) int {
	cutoff := l.now().Add(-idle)
	l.mu.Lock()
	n := 0
	for t, b := range l.buckets {
		if b.last.Before(cutoff) {
			delete(l.buckets, t)
			n++
		}
	}
	l.mu.Unlock()
	return n
}

// Tenants is the number of tenants tracked.
func (l *tenantLimiter) Tenants() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
