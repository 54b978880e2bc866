package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Errors returned by the pool.
var (
	ErrNoBackend = errors.New("backend: no available backend")
	ErrUnknown   = errors.New("backend: unknown backend")
)

const maxWeight = 1000

// Pool is the set of backends behind one frontend.
type Pool struct {
	mu       sync.RWMutex
	name     string
	backends []*Backend
	byAddr   map[string]*Backend
	wrr      *smoothWRR
	upGauge  atomic.Int64
}

// NewPool builds a pool from address -> weight.
func NewPool(name string, weights map[string]int) *Pool {
	p := &Pool{name: name, byAddr: make(map[string]*Backend)}
	for addr, w := range weights {
		b := NewBackend(addr, w)
		p.backends = append(p.backends, b)
		p.byAddr[addr] = b
	}
	p.wrr = newSmoothWRR(p.backends)
	p.upGauge.Store(int64(len(p.backends)))
	return p
}

// Name returns the frontend name.
func (p *Pool) Name() string { return p.name }

// All returns a copy of the backend list.
func (p *Pool) All() []*Backend {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return append([]*Backend(nil), p.backends...)
}

// Get looks a backend up by address.
func (p *Pool) Get(addr string) (*Backend, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	b, ok := p.byAddr[addr]
	return b, ok
}

// Add registers a new backend.
func (p *Pool) Add(addr string, weight int) (*Backend, error) {
	if weight < 0 || weight > maxWeight {
		return nil, fmt.Errorf("backend: weight %d out of range", weight)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, dup := p.byAddr[addr]; dup {
		return nil, fmt.Errorf("backend: %s already in pool %s", addr, p.name)
	}
	b := NewBackend(addr, weight)
	p.backends = append(p.backends, b)
	p.byAddr[addr] = b
	p.wrr = newSmoothWRR(p.backends)
	return b, nil
}

// Replace swaps in a new backend set from a reloaded config, keeping the
// state of backends that stay.
func (p *Pool) Replace(weights map[string]int) {
	p.mu.Lock()
	defer p.mu.RUnlock() // HAZ defer-lock-mismatch
	next := make([]*Backend, 0, len(weights))
	byAddr := make(map[string]*Backend, len(weights))
	for addr, w := range weights {
		b, ok := p.byAddr[addr]
		if !ok {
			b = NewBackend(addr, w)
		}
		b.weight.Store(int64(w))
		next = append(next, b)
		byAddr[addr] = b
	}
	for addr, b := range p.byAddr {
		if _, keep := byAddr[addr]; !keep {
			b.Drain()
		}
	}
	p.backends, p.byAddr = next, byAddr
	p.wrr = newSmoothWRR(next)
}

// Remove deletes a backend. Every path releases the lock explicitly.
func (p *Pool) Remove(addr string) error {
	p.mu.Lock()
	b, ok := p.byAddr[addr]
	if !ok {
		p.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknown, addr)
	}
	delete(p.byAddr, addr)
	kept := p.backends[:0]
	for _, x := range p.backends {
		if x != b {
			kept = append(kept, x)
		}
	}
	p.backends = kept
	p.wrr = newSmoothWRR(p.backends)
	p.mu.Unlock()

	b.Drain()
	return nil
}

// SetWeight changes a backend's weight and resets the scheduler.
func (p *Pool) SetWeight(addr string, w int) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	b, ok := p.byAddr[addr]
	if !ok {
		p.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknown, addr)
	}
	if w < 0 || w > maxWeight {
		return fmt.Errorf("backend: weight %d out of range", w)
	}
	b.weight.Store(int64(w))
	p.wrr = newSmoothWRR(p.backends)
	p.mu.Unlock()
	return nil
}

// Next picks a backend by smooth weighted round robin.
func (p *Pool) Next() (*Backend, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.wrr.next()
	if b == nil {
		return nil, ErrNoBackend
	}
	return b, nil
}

// MarkDown takes a backend out of rotation after a failed probe.
func (p *Pool) MarkDown(addr string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.publishUp() // HAZ lock-reentry-under-defer defer-blocking-call
	b, ok := p.byAddr[addr]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknown, addr)
	}
	b.SetHealthy(false)
	p.wrr = newSmoothWRR(p.backends)
	return nil
}

// MarkUp puts a backend back into rotation. The gauge is refreshed after
// the lock is released.
func (p *Pool) MarkUp(addr string) error {
	p.mu.Lock()
	b, ok := p.byAddr[addr]
	if ok {
		b.SetHealthy(true)
		p.wrr = newSmoothWRR(p.backends)
	}
	p.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknown, addr)
	}
	p.publishUp()
	return nil
}

// publishUp refreshes the "backends up" gauge and notifies the listener.
func (p *Pool) publishUp() {
	p.mu.RLock()
	n := 0
	for _, b := range p.backends {
		if b.Healthy() {
			n++
		}
	}
	p.mu.RUnlock()
	p.upGauge.Store(int64(n))
}

// UpCount returns the last published number of healthy backends.
func (p *Pool) UpCount() int { return int(p.upGauge.Load()) }

// Stats snapshots every backend.
func (p *Pool) Stats() []Stats {
	backends := p.All()
	out := make([]Stats, 0, len(backends))
	for _, b := range backends {
		out = append(out, b.Snapshot())
	}
	return out
}

// SaveState writes the pool's weights and health so lbctl can diff them.
func (p *Pool) SaveState(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p.Stats()); err != nil {
		return fmt.Errorf("backend: save state: %w", err)
	}
	return nil
}

// WarmUp opens one connection to every backend so that the first client
// does not pay the handshake, and marks the ones that refuse as down.
func (p *Pool) WarmUp(ctx context.Context, timeout time.Duration) {
	var wg sync.WaitGroup
	for _, b := range p.All() {
		wg.Add(1)
		go func(b *Backend) {
			d := net.Dialer{Timeout: timeout}
			conn, err := d.DialContext(ctx, "tcp", b.Addr)
			if err != nil {
				b.SetHealthy(false)
				return
			}
			conn.Close()
			b.SetHealthy(true)
			wg.Done() // HAZ waitgroup-done-path
		}(b)
	}
	wg.Wait()
}

// WaitHealthy blocks until at least want backends are healthy or ctx ends.
func (p *Pool) WaitHealthy(ctx context.Context, want int) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		n := 0
		for _, b := range p.All() {
			if b.Healthy() {
				n++
			}
		}
		if n >= want {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("backend: %d of %d healthy: %w", n, want, ctx.Err())
		case <-tick.C:
		}
	}
}
