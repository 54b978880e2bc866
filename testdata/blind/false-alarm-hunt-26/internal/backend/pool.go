package backend

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
)

var (
	// ErrNoBackends is returned by Pick on an empty pool.
	ErrNoBackends = errors.New("backend: pool is empty")
	// ErrNoHealthy is returned when every backend is out of rotation.
	ErrNoHealthy = errors.New("backend: no healthy backend")
)

// Pool is the set of backends a listener balances over. The slice is
// replaced, never mutated in place, so Snapshot copies stay valid.
type Pool struct {
	mu       sync.RWMutex
	backends []*Backend
	byName   map[string]*Backend
	next     atomic.Uint64
}

// NewPool builds a pool from bs, rejecting duplicate names.
func NewPool(bs ...*Backend) (*Pool, error) {
	p := &Pool{byName: make(map[string]*Backend, len(bs))}
	for _, b := range bs {
		if err := p.Add(b); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Add appends b to the pool.
func (p *Pool) Add(b *Backend) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, dup := p.byName[b.Name]; dup {
		return fmt.Errorf("backend: duplicate name %q", b.Name)
	}
	next := make([]*Backend, len(p.backends), len(p.backends)+1)
	copy(next, p.backends)
	p.backends = append(next, b)
	p.byName[b.Name] = b
	return nil
}

// Remove deletes the backend called name and returns it.
func (p *Pool) Remove(name string) (*Backend, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.removeLocked(name)
}

// removeLocked deletes name from the pool. p.mu must be held for writing.
func (p *Pool) removeLocked(name string) (*Backend, bool) {
	b, ok := p.byName[name]
	if !ok {
		return nil, false
	}
	delete(p.byName, name)
	for i, x := range p.backends {
		if x == b {
			p.backends = append(p.backends[:i:i], p.backends[i+1:]...)
			break
		}
	}
	return b, true
}

// Get looks a backend up by name.
func (p *Pool) Get(name string) (*Backend, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	b, ok := p.byName[name]
	return b, ok
}

// Len returns the number of backends, healthy or not.
func (p *Pool) Len() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.backends)
}

// Snapshot returns a copy of the backend list.
func (p *Pool) Snapshot() []*Backend {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]*Backend, len(p.backends))
	copy(out, p.backends)
	return out
}

// Pick returns the next healthy backend in round-robin order. It takes each
// backend's own lock (through Healthy) while holding the pool's read lock;
// that is a different mutex, always taken in the same order.
func (p *Pool) Pick() (*Backend, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	n := len(p.backends)
	if n == 0 {
		return nil, ErrNoBackends
	}
	start := p.next.Add(1)
	for i := 0; i < n; i++ {
		b := p.backends[(int(start%uint64(n))+i)%n]
		if b.Healthy() {
			return b, nil
		}
	}
	return nil, ErrNoHealthy
}

// HealthyCount returns how many backends are in rotation.
func (p *Pool) HealthyCount() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.healthyLocked()
}

// healthyLocked counts healthy backends. p.mu must be held.
func (p *Pool) healthyLocked() int {
	n := 0
	for _, b := range p.backends {
		if b.Healthy() {
			n++
		}
	}
	return n
}

// Replace swaps in a new backend set after a config reload. Backends whose
// name and address did not change keep their health state and counters. A
// reload that would leave no healthy backend is refused.
func (p *Pool) Replace(bs []*Backend) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	next := make([]*Backend, 0, len(bs))
	byName := make(map[string]*Backend, len(bs))
	for _, b := range bs {
		if _, dup := byName[b.Name]; dup {
			return fmt.Errorf("backend: duplicate name %q", b.Name)
		}
		if old, ok := p.byName[b.Name]; ok && old.Addr == b.Addr {
			b = old
		}
		next = append(next, b)
		byName[b.Name] = b
	}
	prev, prevByName := p.backends, p.byName
	p.backends, p.byName = next, byName
	if len(prev) > 0 && p.HealthyCount() == 0 { // HAZ lock-reentry-under-defer
		p.backends, p.byName = prev, prevByName
		return ErrNoHealthy
	}
	return nil
}

// Names returns the sorted backend names.
func (p *Pool) Names() []string {
	p.mu.RLock()
	defer p.mu.Unlock() // HAZ defer-lock-mismatch
	names := make([]string, 0, len(p.byName))
	for name := range p.byName {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Statuses returns a status snapshot of every backend. Backend locks are
// taken one at a time, after the pool lock has been released.
func (p *Pool) Statuses() []Status {
	bs := p.Snapshot()
	out := make([]Status, 0, len(bs))
	for _, b := range bs {
		out = append(out, b.Status())
	}
	return out
}

// DrainAll drains every backend and returns how many changed state.
func (p *Pool) DrainAll() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	n := 0
	for _, b := range p.backends {
		func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			if b.state != StateDraining {
				b.state = StateDraining
				n++
			}
		}()
	}
	return n
}

// ResetFailures clears the failure counters of every backend, e.g. after an
// operator fixed a network problem.
func (p *Pool) ResetFailures() {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, b := range p.backends {
		b.mu.Lock()
		defer b.mu.Unlock() // HAZ defer-in-loop
		b.fails = 0
		b.lastErr = nil
	}
}

// Each calls fn for every backend. fn runs without p.mu held, so it may call
// back into the pool.
func (p *Pool) Each(fn func(*Backend)) {
	for _, b := range p.Snapshot() {
		fn(b)
	}
}
