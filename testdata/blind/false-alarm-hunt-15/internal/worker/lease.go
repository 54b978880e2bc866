package worker

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// Lease is exclusive ownership of a named resource.
type Lease struct {
	name     string
	gen      int
	released atomic.Bool
}

// Release gives the lease back; later calls do nothing.
func (l *Lease) Release() {
	l.released.Store(true)
}

// LeaseManager hands out successive leases for one resource.
type LeaseManager struct {
	mu   sync.Mutex
	name string
	gen  int
	cur  *Lease
}

// NewLeaseManager returns a manager holding generation 1.
func NewLeaseManager(name string) *LeaseManager {
	return &LeaseManager{name: name, gen: 1, cur: &Lease{name: name, gen: 1}}
}

// Current returns the lease in force.
func (m *LeaseManager) Current() *Lease {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur
}

// Renew replaces the current lease with a new generation.
func (m *LeaseManager) Renew() *Lease {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	m.cur = &Lease{name: m.name, gen: m.gen}
	return m.cur
}

// String describes the current lease.
func (m *LeaseManager) String() string {
	l := m.Current()
	return fmt.Sprintf("%s#%d", l.name, l.gen)
}

// RunExclusive runs jobs one by one under the pool's lease, renewing it
// every ten jobs, and gives the lease back at the end.
func (p *Pool) RunExclusive(ctx context.Context, jobs []Job) error {
	defer p.leases.Current().Release() // HAZ defer-call-chain
	for i, j := range jobs {
		if i > 0 && i%10 == 0 {
			p.leases.Renew()
		}
		if err := p.handler(ctx, j); err != nil {
			return fmt.Errorf("job %s: %w", j.ID, err)
		}
	}
	return nil
}

// RunOnce runs a single job under a snapshot of the current lease.
func (p *Pool) RunOnce(ctx context.Context, j Job) error {
	lease := p.leases.Current()
	defer lease.Release()
	return p.handler(ctx, j)
}
