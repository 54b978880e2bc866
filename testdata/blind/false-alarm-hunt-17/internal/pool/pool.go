// Package pool provides a bounded pool of reusable resources and a shared
// buffer pool.
package pool

import (
	"bytes"
	"context"
	"errors"
	"sync"
)

// ErrClosed is returned by Get after Close.
var ErrClosed = errors.New("pool: closed")

// Pool hands out at most limit items at a time, creating them on demand.
type Pool[T any] struct {
	mu     sync.Mutex
	cond   *sync.Cond
	free   []T
	size   int
	limit  int
	newFn  func(context.Context) (T, error)
	reset  func(T)
	closed bool
}

// New returns a pool that creates items with newFn and resets returned items
// with reset (which may be nil).
func New[T any](limit int, newFn func(context.Context) (T, error), reset func(T)) *Pool[T] {
	p := &Pool[T]{limit: max(limit, 1), newFn: newFn, reset: reset}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// acquire waits for an idle item or a free slot. When it returns ok == false
// and a nil error, the caller owns a new slot and must create the item.
func (p *Pool[T]) acquire(ctx context.Context) (v T, ok bool, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	// Wake the Wait below when ctx ends; the callback runs on its own
	// goroutine and takes the lock only once Wait has released it.
	stop := context.AfterFunc(ctx, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.cond.Broadcast()
	})
	defer stop()
	for len(p.free) == 0 && p.size >= p.limit && !p.closed {
		if err := ctx.Err(); err != nil {
			return v, false, err
		}
		p.cond.Wait()
	}
	if p.closed {
		return v, false, ErrClosed
	}
	if n := len(p.free); n > 0 {
		v = p.free[n-1]
		p.free = p.free[:n-1]
		return v, true, nil
	}
	p.size++
	return v, false, nil
}

// Get returns an idle item or creates a new one, waiting while the pool is at
// its limit.
func (p *Pool[T]) Get(ctx context.Context) (T, error) {
	v, ok, err := p.acquire(ctx)
	if err != nil || ok {
		return v, err
	}
	v, err = p.newFn(ctx)
	if err != nil {
		p.release()
		return v, err
	}
	return v, nil
}

// release gives back a slot whose item could not be created.
func (p *Pool[T]) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.size--
	p.cond.Signal()
}

// Put returns v to the pool.
func (p *Pool[T]) Put(v T) {
	if p.reset != nil {
		p.reset(v)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		p.size--
		return
	}
	p.free = append(p.free, v)
	p.cond.Signal()
}

// Discard frees the slot of an item that broke while borrowed, instead of
// returning it with Put.
func (p *Pool[T]) Discard() {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.size == 0 {
		panic("pool: Discard without a matching Get")
	}
	p.size--
	p.cond.Signal()
	p.mu.Unlock()
}

// Close marks the pool closed, wakes every waiter and returns the idle items
// so that the caller can dispose of them.
func (p *Pool[T]) Close() []T {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	idle := p.free
	p.free = nil
	p.size -= len(idle)
	p.cond.Broadcast()
	return idle
}

// With borrows an item for the duration of fn.
func (p *Pool[T]) With(ctx context.Context, fn func(T) error) error {
	v, err := p.Get(ctx)
	if err != nil {
		return err
	}
	err = fn(v)
	p.Put(v)
	return err
}

const maxPooledBuffer = 1 << 20

var buffers = sync.OnceValue(func() *sync.Pool {
	return &sync.Pool{New: func() any { return new(bytes.Buffer) }}
})

// GetBuffer returns an empty buffer from the shared pool.
func GetBuffer() *bytes.Buffer {
	b := buffers().Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// PutBuffer returns b to the shared pool; oversized buffers are dropped.
func PutBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	buffers().Put(b)
}
