// Package genx holds small generic containers shared by the services.
package genx

import (
	"log/slog"
	"sync"
)

// PoolStats counts pool traffic.
type PoolStats struct {
	Gets, Puts, News int
}

// Log writes the counters to l.
func (s PoolStats) Log(l *slog.Logger) {
	l.Info("pool stats", "gets", s.Gets, "puts", s.Puts, "news", s.News)
}

// Pool is a bounded free list of reusable values.
type Pool[T any] struct {
	sync.Mutex
	free  []T
	newFn func() T
	limit int
	stats PoolStats
}

// NewPool returns a pool that keeps at most limit idle values.
func NewPool[T any](limit int, newFn func() T) *Pool[T] {
	return &Pool[T]{newFn: newFn, limit: limit, free: make([]T, 0, limit)}
}

// Get returns a pooled value or a fresh one.
func (p *Pool[T]) Get() T {
	p.Lock()
	defer p.Unlock() // ok: paired with the Lock above, nothing re-locks
	p.stats.Gets++
	if n := len(p.free); n > 0 {
		v := p.free[n-1]
		p.free = p.free[:n-1]
		return v
	}
	p.stats.News++
	return p.newFn()
}

// Put returns v to the pool unless the pool is full.
func (p *Pool[T]) Put(v T) {
	p.Lock()
	defer p.Unlock()
	p.stats.Puts++
	if len(p.free) < p.limit {
		p.free = append(p.free, v)
	}
}

// Stats returns a copy of the counters.
func (p *Pool[T]) Stats() PoolStats {
	p.Lock()
	defer p.Unlock()
	return p.stats
}

// Refill tops the pool up to its limit.
func (p *Pool[T]) Refill() {
	p.Lock()
	defer p.Unlock()
	for range p.limit - len(p.free) {
		p.Put(p.newFn()) // HAZ lock-reentry-under-defer
	}
}

// Warm creates n values outside the lock and keeps as many as fit.
func (p *Pool[T]) Warm(n int) {
	vals := make([]T, 0, n)
	for range n {
		vals = append(vals, p.newFn())
	}
	p.Lock()
	defer p.Unlock()
	room := max(0, p.limit-len(p.free))
	kept := min(room, len(vals))
	p.free = append(p.free, vals[:kept]...)
	p.putLocked(kept) // ok: the *Locked helper assumes the lock is held and does not take it
}

func (p *Pool[T]) putLocked(n int) {
	p.stats.Puts += n
}

// Reset drops every idle value.
func (p *Pool[T]) Reset() {
	p.Lock()
	clear(p.free)
	p.free = p.free[:0]
	p.Unlock() // ok: no return between Lock and Unlock
}

// Drain empties the pool, handing each value to release, and logs the final
// counters.
func (p *Pool[T]) Drain(release func(T), logger *slog.Logger) {
	defer p.Stats().Log(logger) // HAZ defer-call-chain
	for {
		p.Lock()
		n := len(p.free)
		if n == 0 {
			p.Unlock()
			return
		}
		v := p.free[n-1]
		p.free = p.free[:n-1]
		p.Unlock()
		release(v)
	}
}

// Close releases every idle value and logs the counters as they are at exit.
func (p *Pool[T]) Close(release func(T), logger *slog.Logger) {
	defer func() { p.Stats().Log(logger) }() // ok: Stats runs at exit
	p.Lock()
	idle := p.free
	p.free = nil
	p.Unlock()
	for _, v := range idle {
		release(v)
	}
}

// With borrows a value for the duration of fn.
func (p *Pool[T]) With(fn func(T) error) error {
	v := p.Get()
	defer p.Put(v) // ok: v is fixed after this point
	return fn(v)
}
