// Package pool provides object and resource pools with optional lifecycle
// hooks.
package pool

import (
	"sync/atomic"
)

// Pool is a bounded free list of reusable objects. Unlike sync.Pool it
// keeps at most Max idle objects and never drops them during GC.
type Pool[T any] struct {
	idle    chan T
	newFn   func() T
	reset   func(T)
	discard func(T)
	created atomic.Int64
	reused  atomic.Int64
}

// Option configures a Pool.
type Option[T any] func(*Pool[T])

// WithReset installs a hook that clears an object before it is reused.
func WithReset[T any](fn func(T)) Option[T] {
	return func(p *Pool[T]) { p.reset = fn }
}

// WithDiscard installs a hook called for objects that do not fit in the
// idle list.
func WithDiscard[T any](fn func(T)) Option[T] {
	return func(p *Pool[T]) { p.discard = fn }
}

// New returns a pool keeping up to maxIdle objects made by newFn.
func New[T any](maxIdle int, newFn func() T, opts ...Option[T]) *Pool[T] {
	if maxIdle < 0 {
		maxIdle = 0
	}
	p := &Pool[T]{idle: make(chan T, maxIdle), newFn: newFn}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Get returns an idle object or makes a new one. It never blocks.
func (p *Pool[T]) Get() T {
	select {
	case x := <-p.idle:
		p.reused.Add(1)
		return x
	default:
		p.created.Add(1)
		return p.newFn()
	}
}

// Put resets x and returns it to the idle list, or discards it when the
// list is full. It never blocks.
func (p *Pool[T]) Put(x T) {
	if p.reset != nil {
		p.reset(x)
	}
	select {
	case p.idle <- x:
	default:
		if p.discard != nil {
			p.discard(x)
		}
	}
}

// With lends an object to fn and returns it afterwards, even if fn panics.
func (p *Pool[T]) With(fn func(T) error) error {
	x := p.Get()
	defer p.Put(x)
	return fn(x)
}

// Idle returns the number of idle objects.
func (p *Pool[T]) Idle() int { return len(p.idle) }

// Counters returns how many objects were created and reused.
func (p *Pool[T]) Counters() (created, reused int64) {
	return p.created.Load(), p.reused.Load()
}

// Drain empties the idle list, passing each object to the discard hook.
func (p *Pool[T]) Drain() int {
	n := 0
	for {
		select {
		case x := <-p.idle:
			n++
			if p.discard != nil {
				p.discard(x)
			}
		default:
			return n
		}
	}
}
