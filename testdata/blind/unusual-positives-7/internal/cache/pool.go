package cache

import (
	"fmt"
	"sync"
)

// Pool is a bounded free list of reusable values.
type Pool[T any] struct {
	mu    sync.Mutex
	free  []T
	max   int
	newFn func() T
	reset func(*T) // optional; nil means values are reused as they are
}

// NewPool returns a pool that keeps at most max idle values.
func NewPool[T any](max int, newFn func() T) *Pool[T] {
	return &Pool[T]{max: max, newFn: newFn}
}

// WithReset installs a hook that clears a value before it is pooled again.
func (p *Pool[T]) WithReset(reset func(*T)) *Pool[T] {
	p.reset = reset
	return p
}

// Get hands out an idle value or a new one.
func (p *Pool[T]) Get() T {
	lock, unlock := p.mu.Lock, p.mu.Unlock
	lock() // HAZ lock-leaked-on-return
	if len(p.free) == 0 {
		return p.newFn()
	}
	v := p.free[len(p.free)-1]
	p.free = p.free[:len(p.free)-1]
	unlock()
	return v
}

// TryGet is Get with the unlock bound to the method value and deferred.
func (p *Pool[T]) TryGet() (T, bool) {
	unlock := p.mu.Unlock
	p.mu.Lock()
	defer unlock()
	if len(p.free) == 0 {
		var zero T
		return zero, false
	}
	v := p.free[len(p.free)-1]
	p.free = p.free[:len(p.free)-1]
	return v, true
}

// Put returns v to the pool unless the pool is full.
func (p *Pool[T]) Put(v T) {
	if p.reset != nil {
		p.reset(&v)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < p.max {
		p.free = append(p.free, v)
	}
}

// Drain empties the pool and returns what it held.
func (p *Pool[T]) Drain() []T {
	lock, unlock := p.mu.Lock, p.mu.Unlock
	lock()
	out := p.free
	p.free = nil
	unlock()
	return out
}

// scrub runs the optional reset hook; a panicking hook must not take the
// caller down.
func (p *Pool[T]) scrub(v *T) {
	if p.reset == nil {
		return
	}
	defer func() { recover() }() // HAZ recover-swallows-panic
	p.reset(v)
}

// Release scrubs v and pools it.
func (p *Pool[T]) Release(v T) {
	p.scrub(&v)
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < p.max {
		p.free = append(p.free, v)
	}
}

// tryReset runs the reset hook and turns its panic into an error.
func (p *Pool[T]) tryReset(v *T) (err error) {
	if p.reset == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pool reset hook: %v", r)
		}
	}()
	p.reset(v)
	return nil
}

// PutChecked pools v only if its reset hook succeeded.
func (p *Pool[T]) PutChecked(v T) error {
	if err := p.tryReset(&v); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < p.max {
		p.free = append(p.free, v)
	}
	return nil
}
