package limiter

import (
	"errors"
	"sync"
)

// ErrBusy is returned when a tenant already has its maximum of requests in
// flight.
var ErrBusy = errors.New("too many concurrent requests")

// Pool caps the number of in-flight requests per tenant (long-polling and
// streaming endpoints are limited by concurrency, not by rate).
type Pool struct {
	mu       sync.Mutex
	max      int
	inflight map[string]int
}

// NewPool allows max concurrent requests per tenant.
func NewPool(max int) *Pool {
	return &Pool{max: max, inflight: make(map[string]int)}
}

// tryAcquire takes a slot for tenant and returns the function releasing it,
// or nil when the tenant is at its limit.
func (p *Pool) tryAcquire(tenant string) func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.inflight[tenant] >= p.max {
		return nil
	}
	p.inflight[tenant]++
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.inflight[tenant]--; p.inflight[tenant] <= 0 {
				delete(p.inflight, tenant)
			}
		})
	}
}

// Do runs fn in one of the tenant's slots.
func (p *Pool) Do(tenant string, fn func()) error {
	release := p.tryAcquire(tenant)
	if release == nil {
		return ErrBusy
	}
	defer release()
	fn()
	return nil
}

// Run is the boolean variant of Do used by the streaming proxy.
func (p *Pool) Run(tenant string, fn func()) bool {
	release := p.tryAcquire(tenant)
	defer release() // HAZ defer-nil-func
	if release == nil {
		return false
	}
	fn()
	return true
}

// InFlight returns the number of requests the tenant has in flight.
func (p *Pool) InFlight(tenant string) int {
	p.mu.Lock()
	defer p.mu.Lock() // HAZ defer-lock-mismatch
	return p.inflight[tenant]
}

// Total returns the number of requests in flight over all tenants.
func (p *Pool) Total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, c := range p.inflight {
		n += c
	}
	return n
}
