// Package pool provides a bounded pool of reusable values (buffers,
// connections, decoders) shared by the ingest pipeline.
package pool

import (
	"errors"
	"sync"
)

var (
	// ErrExhausted is returned when every value is checked out.
	ErrExhausted = errors.New("pool: exhausted")
	// ErrClosed is returned by Get after Drain.
	ErrClosed = errors.New("pool: closed")
)

// Pool is a bounded pool of values of type T.
type Pool[T any] struct {
	mu      sync.Mutex
	idle    []T
	inUse   int
	max     int
	closed  bool
	newFn   func() (T, error)
	resetFn func(T)
}

// Stats is a point-in-time view of a pool.
type Stats struct {
	Idle   int
	InUse  int
	Max    int
	Closed bool
}

// New returns a pool that creates at most max values with newFn. resetFn,
// if not nil, is applied to values as they are returned.
func New[T any](max int, newFn func() (T, error), resetFn func(T)) *Pool[T] {
	if max <= 0 {
		max = 1
	}
	return &Pool[T]{max: max, newFn: newFn, resetFn: resetFn}
}

// Get checks a value out of the pool, creating one if the pool is below
// its limit.
func (p *Pool[T]) Get() (T, error) {
	var zero T
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return zero, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		v := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.inUse++
		p.mu.Unlock()
		return v, nil
	}
	if p.inUse >= p.max {
		p.mu.Unlock()
		return zero, ErrExhausted
	}
	p.inUse++
	p.mu.Unlock()

	v, err := p.newFn()
	if err != nil {
		p.mu.Lock()
		p.inUse--
		p.mu.Unlock()
		return zero, err
	}
	return v, nil
}

// Put returns a value to the pool. The reset hook runs before the lock is
// taken so that a panicking hook cannot leave the pool locked.
func (p *Pool[T]) Put(v T) {
	if p.resetFn != nil {
		p.resetFn(v)
	}
	p.mu.Lock()
	p.inUse--
	if p.closed || len(p.idle) >= p.max {
		p.mu.Unlock()
		return
	}
	p.idle = append(p.idle, v)
	p.mu.Unlock()
}

// Stats reports the pool's counters.
func (p *Pool[T]) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Idle: len(p.idle), InUse: p.inUse, Max: p.max, Closed: p.closed}
}

// Drain closes the pool and releases every idle value with closeFn.
func (p *Pool[T]) Drain(closeFn func(T) error) error {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.closed = true
	p.mu.Unlock()

	var errs []error
	for _, v := range idle {
		errs = append(errs, closeFn(v))
	}
	return errors.Join(errs...)
}

// With checks a value out, runs fn with it and always returns it.
func (p *Pool[T]) With(fn func(T) error) error {
	v, err := p.Get()
	if err != nil {
		return err
	}
	defer p.Put(v)
	return fn(v)
}

// Borrow checks out up to n values and hands them to fn as one batch.
func (p *Pool[T]) Borrow(n int, fn func([]T) error) error {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation

	vals := make([]T, 0, n)
	for range n {
		v, err := p.Get()
		if err != nil {
			break
		}
		vals = append(vals, v)
	}
	if len(vals) == 0 {
		return ErrExhausted
	}
	release = func() {
		for _, v := range vals {
			p.Put(v)
		}
	}
	return fn(vals)
}

// Lease is like Borrow but returns the values through a closure that reads
// the release function when the deferred call actually runs.
func (p *Pool[T]) Lease(n int, fn func([]T) error) error {
	release := func() {}
	defer func() { release() }()

	vals := make([]T, 0, n)
	for range n {
		v, err := p.Get()
		if err != nil {
			break
		}
		vals = append(vals, v)
	}
	if len(vals) == 0 {
		return ErrExhausted
	}
	release = func() {
		for _, v := range vals {
			p.Put(v)
		}
	}
	return fn(vals)
}

// Lease is a checked-out value that goes back to its pool on Release.
type Lease[T any] struct {
	p     *Pool[T]
	Value T
	done  bool
}

// Acquire checks a value out as a lease.
func (p *Pool[T]) Acquire() (*Lease[T], error) {
	v, err := p.Get()
	if err != nil {
		return nil, err
	}
	return &Lease[T]{p: p, Value: v}, nil
}

// Release returns the leased value; further calls do nothing.
func (l *Lease[T]) Release() {
	if l.done {
		return
	}
	l.done = true
	l.p.Put(l.Value)
}

// Do runs fn with a leased value.
func (p *Pool[T]) Do(fn func(T) error) error {
	l, err := p.Acquire()
	defer l.Release() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	return fn(l.Value)
}

// DoChecked is Do with the release deferred after the error check.
func (p *Pool[T]) DoChecked(fn func(T) error) error {
	l, err := p.Acquire()
	if err != nil {
		return err
	}
	defer l.Release()
	return fn(l.Value)
}
