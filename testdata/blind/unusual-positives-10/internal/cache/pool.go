package cache

import (
	"errors"
	"sync"
)

// ErrPoolClosed is returned by Get after Close.
var ErrPoolClosed = errors.New("cache: pool closed")

// Pool keeps up to size idle resources of type T for reuse.
type Pool[T any] struct {
	idle    chan T
	newFn   func() (T, error)
	closeFn func(T)

	mu      sync.RWMutex
	closed  bool
	created int
}

// NewPool returns a pool that creates resources with newFn and disposes of
// surplus ones with closeFn.
func NewPool[T any](size int, newFn func() (T, error), closeFn func(T)) *Pool[T] {
	return &Pool[T]{idle: make(chan T, size), newFn: newFn, closeFn: closeFn}
}

// Get returns an idle resource or creates a new one.
func (p *Pool[T]) Get() (T, error) {
	select {
	case v := <-p.idle:
		return v, nil
	default:
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		var zero T
		return zero, ErrPoolClosed
	}
	p.created++
	p.mu.Unlock()
	return p.newFn()
}

// Put gives v back; it is disposed of when the pool is full. Put never waits.
func (p *Pool[T]) Put(v T) {
	select {
	case p.idle <- v:
	default:
		p.closeFn(v)
	}
}

// Created returns how many resources the pool has created.
func (p *Pool[T]) Created() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.created
}

// Closed reports whether Close has been called.
func (p *Pool[T]) Closed() bool {
	p.mu.RLock()
	defer p.mu.Unlock() // HAZ defer-lock-mismatch
	return p.closed
}

// Close disposes of the idle resources; later Gets fail.
func (p *Pool[T]) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.mu.Unlock()
	for {
		select {
		case v := <-p.idle:
			p.closeFn(v)
		default:
			return
		}
	}
}

// With runs fn with a pooled resource and gives it back afterwards.
func (p *Pool[T]) With(fn func(T) error) error {
	v, err := p.Get()
	defer p.Put(v) // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	return fn(v)
}

// WithChecked is With that only returns resources it actually got.
func (p *Pool[T]) WithChecked(fn func(T) error) error {
	v, err := p.Get()
	if err != nil {
		return err
	}
	defer p.Put(v)
	return fn(v)
}
