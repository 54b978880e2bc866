// Package pool implements a bounded pool of reusable resources (connections, buffers).
package pool

import (
	"context"
	"errors"
	"io"
	"log"
	"sync"
	"time"
)

// ErrClosed is returned after Close.
var ErrClosed = errors.New("pool: closed")

// ErrInvalidSize is returned by Resize for a non-positive size.
var ErrInvalidSize = errors.New("pool: invalid size")

// Stats describes the pool.
type Stats struct {
	Idle, Active, Max int
	Waits             int64
}

type idleItem[T any] struct {
	v     T
	since time.Time
}

// Pool hands out at most Max resources at a time.
type Pool[T io.Closer] struct {
	newFn func(context.Context) (T, error)

	mu      sync.RWMutex
	idle    []idleItem[T]
	active  int
	max     int
	waits   int64
	closed  bool
	waiters []chan struct{}
	logger  *log.Logger
}

// New creates a pool.
func New[T io.Closer](max int, newFn func(context.Context) (T, error), logger *log.Logger) *Pool[T] {
	return &Pool[T]{newFn: newFn, max: max, logger: logger}
}

// Get returns an idle resource or creates one, waiting while the pool is full.
func (p *Pool[T]) Get(ctx context.Context) (T, error) {
	var zero T
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return zero, ErrClosed
		}
		if n := len(p.idle); n > 0 {
			it := p.idle[n-1]
			p.idle = p.idle[:n-1]
			p.active++
			p.mu.Unlock()
			return it.v, nil
		}
		if p.active < p.max {
			p.active++
			p.mu.Unlock() // ok: never dial while holding the lock
			v, err := p.newFn(ctx)
			if err != nil {
				p.mu.Lock()
				p.active--
				p.wakeOneLocked()
				p.mu.Unlock()
				return zero, err
			}
			return v, nil
		}
		w := make(chan struct{})
		p.waiters = append(p.waiters, w)
		p.waits++
		p.mu.Unlock()

		select {
		case <-w:
		case <-ctx.Done():
			p.mu.Lock()
			p.removeWaiterLocked(w)
			p.mu.Unlock()
			return zero, ctx.Err()
		}
	}
}

// wakeOneLocked signals one waiter. p.mu must be held.
func (p *Pool[T]) wakeOneLocked() {
	if len(p.waiters) == 0 {
		return
	}
	w := p.waiters[0]
	p.waiters = p.waiters[1:]
	close(w)
}

func (p *Pool[T]) removeWaiterLocked(w chan struct{}) {
	for i, x := range p.waiters {
		if x == w {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			return
		}
	}
}

// Put returns a resource to the pool.
func (p *Pool[T]) Put(v T) {
	p.mu.Lock()
	if p.closed {
		p.active--
		p.mu.Unlock()
		p.closeQuietly(v) // ok: closed outside the lock
		return
	}
	p.active--
	p.idle = append(p.idle, idleItem[T]{v: v, since: time.Now()})
	p.wakeOneLocked()
	p.mu.Unlock()
}

// Discard drops a broken resource.
func (p *Pool[T]) Discard(v T) {
	p.mu.Lock()
	p.active--
	p.unlockAndWake() // ok: unlockAndWake releases p.mu
	p.closeQuietly(v)
}

// unlockAndWake wakes one waiter and releases p.mu, which the caller must hold.
func (p *Pool[T]) unlockAndWake() {
	p.wakeOneLocked()
	p.mu.Unlock()
}

func (p *Pool[T]) closeQuietly(v T) {
	if err := v.Close(); err != nil && p.logger != nil {
		p.logger.Printf("pool: close: %v", err)
	}
}

// With borrows a resource for the duration of fn.
func (p *Pool[T]) With(ctx context.Context, fn func(T) error) (err error) {
	v, err := p.Get(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			p.Discard(v)
			return
		}
		p.Put(v)
	}()
	return fn(v)
}

// Stats reports current counters.
func (p *Pool[T]) Stats() Stats {
	p.mu.RLock()
	defer p.mu.Unlock() // HAZ defer-lock-mismatch
	return Stats{Idle: len(p.idle), Active: p.active, Max: p.max, Waits: p.waits}
}

// Len reports the number of idle resources.
func (p *Pool[T]) Len() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.idle)
}

// Resize changes the maximum number of active resources.
func (p *Pool[T]) Resize(n int) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if n < 1 {
		return ErrInvalidSize
	}
	grow := n - p.max
	p.max = n
	for i := 0; i < grow; i++ {
		p.wakeOneLocked()
	}
	p.mu.Unlock()
	return nil
}

// SetMax is the corrected Resize.
func (p *Pool[T]) SetMax(n int) error {
	if n < 1 {
		return ErrInvalidSize
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := p.max; i < n; i++ {
		p.wakeOneLocked()
	}
	p.max = n
	return nil
}

// Reap closes resources idle for longer than maxIdle.
func (p *Pool[T]) Reap(maxIdle time.Duration) int {
	cutoff := time.Now().Add(-maxIdle)
	p.mu.Lock()
	var keep []idleItem[T]
	var drop []T
	for _, it := range p.idle {
		if it.since.Before(cutoff) {
			drop = append(drop, it.v)
			continue
		}
		keep = append(keep, it)
	}
	p.idle = keep
	p.mu.Unlock()
	for _, v := range drop {
		p.closeQuietly(v)
	}
	return len(drop)
}

// RunReaper reaps every interval until ctx is done.
func (p *Pool[T]) RunReaper(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n := p.Reap(interval); n > 0 && p.logger != nil {
				p.logger.Printf("pool: reaped %d", n)
			}
		}
	}
}

// Close closes idle resources and wakes all waiters.
func (p *Pool[T]) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	idle := p.idle
	p.idle = nil
	for _, w := range p.waiters {
		close(w)
	}
	p.waiters = nil
	p.mu.Unlock()

	var errs []error
	for _, it := range idle {
		errs = append(errs, it.v.Close())
	}
	return errors.Join(errs...)
}
