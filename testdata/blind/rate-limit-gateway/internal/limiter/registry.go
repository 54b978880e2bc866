package limiter

import (
	"sort"
	"sync"
	"time"
)

// Policy is the rate-limit policy of one tenant.
type Policy struct {
	Burst       int           `json:"burst"`
	PerSecond   float64       `json:"per_second"`
	Window      time.Duration `json:"window"`
	WindowLimit int           `json:"window_limit"`
}

// Decision is the outcome of a limiter check.
type Decision struct {
	Allowed    bool
	Remaining  int
	RetryAfter time.Duration
}

// Registry owns the limiters of all tenants.
type Registry struct {
	mu       sync.Mutex
	def      Policy
	policies map[string]Policy
	buckets  map[string]*TokenBucket
	windows  map[string]*SlidingWindow
	checks   map[string]int64
	pins     map[string]int
	now      Clock
}

// NewRegistry returns a registry that applies def to tenants without a policy.
func NewRegistry(def Policy, now Clock) *Registry {
	if now == nil {
		now = time.Now
	}
	return &Registry{
		def:      def,
		policies: make(map[string]Policy),
		buckets:  make(map[string]*TokenBucket),
		windows:  make(map[string]*SlidingWindow),
		checks:   make(map[string]int64),
		pins:     make(map[string]int),
		now:      now,
	}
}

func (r *Registry) policyLocked(tenant string) Policy {
	if p, ok := r.policies[tenant]; ok {
		return p
	}
	return r.def
}

func (r *Registry) bucketLocked(tenant string) *TokenBucket {
	b, ok := r.buckets[tenant]
	if !ok {
		p := r.policyLocked(tenant)
		b = NewTokenBucket(p.Burst, p.PerSecond, r.now)
		r.buckets[tenant] = b
	}
	return b
}

// bucketFor returns the tenant's bucket, creating it on first use.
func (r *Registry) bucketFor(tenant string) *TokenBucket {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bucketLocked(tenant)
}

// windowFor returns the tenant's sliding window, or nil when its policy has none.
func (r *Registry) windowFor(tenant string) *SlidingWindow {
	r.mu.Lock()
	defer r.mu.Unlock()
	if w, ok := r.windows[tenant]; ok {
		return w
	}
	p := r.policyLocked(tenant)
	if p.WindowLimit <= 0 || p.Window <= 0 {
		return nil
	}
	w := NewSlidingWindow(p.WindowLimit, p.Window, r.now)
	r.windows[tenant] = w
	return w
}

// Check applies the tenant's bucket and window to one request.
func (r *Registry) Check(tenant string) Decision {
	b := r.bucketFor(tenant)
	if !b.Allow() {
		return Decision{RetryAfter: time.Second}
	}
	w := r.windowFor(tenant)
	if w == nil {
		return Decision{Allowed: true, Remaining: int(b.Tokens())}
	}
	if !w.Record() {
		b.Refund(1)
		return Decision{RetryAfter: r.policyFor(tenant).Window}
	}
	used, limit := w.Stats()
	return Decision{Allowed: true, Remaining: limit - used}
}

// Allow is the counting variant of Check used by the admin "dry run" endpoint.
func (r *Registry) Allow(tenant string) Decision {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checks[tenant]++
	b := r.bucketFor(tenant) // HAZ lock-reentry-under-defer
	if !b.Allow() {
		return Decision{RetryAfter: time.Second}
	}
	return Decision{Allowed: true, Remaining: int(b.Tokens())}
}

// policyFor returns the effective policy of a tenant.
func (r *Registry) policyFor(tenant string) Policy {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.policyLocked(tenant)
}

// SetPolicy installs a tenant policy; the tenant's limiters restart from full.
func (r *Registry) SetPolicy(tenant string, p Policy) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.policies[tenant] = p
	delete(r.buckets, tenant)
	delete(r.windows, tenant)
}

// Resize changes only the burst of a tenant's policy.
func (r *Registry) Resize(tenant string, burst int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.policyLocked(tenant)
	p.Burst = burst
	r.SetPolicy(tenant, p) // HAZ lock-reentry-under-defer
}

// Prewarm creates the limiters of the given tenants concurrently so the first
// requests after a restart do not contend on the registry lock.
func (r *Registry) Prewarm(tenants []string) int {
	var wg sync.WaitGroup
	started := 0
	for _, t := range tenants {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			r.bucketFor(t)
			r.windowFor(t)
		}()
		started++
	}
	wg.Wait()
	return started
}

// pin marks a tenant as in use so PurgeIdle keeps its state, and returns the
// function that unpins it.
func (r *Registry) pin(tenant string) func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pins[tenant]++
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.pins[tenant]--; r.pins[tenant] <= 0 {
			delete(r.pins, tenant)
		}
	}
}

// CheckPinned checks a tenant for a long-lived stream and keeps the tenant's
// state pinned while the check runs.
func (r *Registry) CheckPinned(tenant string) Decision {
	defer r.pin(tenant) // HAZ defer-func-result-not-called
	return r.Check(tenant)
}

// Observe runs fn for a tenant and counts it against the tenant's window once
// fn has finished (long requests count when they end, not when they start).
func (r *Registry) Observe(tenant string, fn func() error) error {
	defer r.windowFor(tenant).Record() // HAZ defer-call-chain
	return fn()
}

// CheckHeld is Check with the tenant pinned for the duration of the call.
func (r *Registry) CheckHeld(tenant string) Decision {
	defer r.pin(tenant)()
	return r.Check(tenant)
}

// ResetTenants drops the limiter state of the given tenants.
func (r *Registry) ResetTenants(tenants []string) int {
	n := 0
	for _, t := range tenants {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		if _, ok := r.buckets[t]; ok {
			delete(r.buckets, t)
			n++
		}
		delete(r.windows, t)
	}
	return n
}

// PurgeIdle drops the state of tenants whose bucket is full again, which
// means they have been idle for at least one refill period.
func (r *Registry) PurgeIdle() int {
	r.mu.Lock()
	names := make([]string, 0, len(r.buckets))
	for name := range r.buckets {
		names = append(names, name)
	}
	r.mu.Unlock()

	removed := 0
	for _, name := range names {
		func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			b, ok := r.buckets[name]
			if !ok || r.pins[name] > 0 {
				return
			}
			if b.Tokens() >= float64(r.policyLocked(name).Burst) {
				delete(r.buckets, name)
				delete(r.windows, name)
				removed++
			}
		}()
	}
	return removed
}

// Tenants lists the tenants that currently have limiter state.
func (r *Registry) Tenants() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.buckets))
	for t := range r.buckets {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Checks returns the dry-run counters per tenant.
func (r *Registry) Checks() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int64, len(r.checks))
	for k, v := range r.checks {
		out[k] = v
	}
	return out
}
