package proxy

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
)

// ErrNoHealthyBackend is returned when every backend is marked down.
var ErrNoHealthyBackend = errors.New("proxy: no healthy backend")

// Pool is the set of backends of one route, picked round-robin.
type Pool struct {
	mu       sync.RWMutex
	backends []*Backend
	next     atomic.Uint64
}

// NewPool returns a pool over bs.
func NewPool(bs ...*Backend) *Pool {
	return &Pool{backends: bs}
}

// Pick returns the next healthy backend in round-robin order.
func (p *Pool) Pick() (*Backend, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	n := uint64(len(p.backends))
	if n == 0 {
		return nil, ErrNoHealthyBackend
	}
	start := p.next.Add(1)
	for i := uint64(0); i < n; i++ {
		b := p.backends[(start+i)%n]
		if b.Healthy() {
			return b, nil
		}
	}
	return nil, ErrNoHealthyBackend
}

// Snapshot returns a copy of the backend list.
func (p *Pool) Snapshot() []*Backend {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return slices.Clone(p.backends)
}

// Replace swaps in a new backend list, e.g. after a config reload.
func (p *Pool) Replace(bs []*Backend) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.backends = bs
}

// Get finds a backend by name.
func (p *Pool) Get(name string) (*Backend, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, b := range p.backends {
		if b.Name == name {
			return b, true
		}
	}
	return nil, false
}

// Status maps each backend name to its health, for the admin API.
func (p *Pool) Status() map[string]bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make(map[string]bool, len(p.backends))
	for _, b := range p.Snapshot() { // HAZ lock-reentry-under-defer
		out[b.Name] = b.Healthy()
	}
	return out
}

// HealthyCount reports how many backends are currently up.
func (p *Pool) HealthyCount() int {
	n := 0
	for _, b := range p.Snapshot() {
		if b.Healthy() {
			n++
		}
	}
	return n
}

// Prime warms the first limit backends concurrently and returns how many it
// started; it is used when a new pool is swapped in after a reload.
func (p *Pool) Prime(ctx context.Context, client *http.Client, limit int) int {
	backends := p.Snapshot()
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(backends) && i < limit; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); warmOne(ctx, client, backends[i]) }() // HAZ loop-var-capture
	}
	wg.Wait()
	return i
}
