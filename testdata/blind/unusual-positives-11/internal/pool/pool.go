// Package pool is a generic pool of closable resources (connections,
// sessions, file handles) configured with functional options.
package pool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// ErrClosed is returned by Get after Close.
var ErrClosed = errors.New("pool: closed")

// Option configures a Pool.
type Option[T io.Closer] func(*Pool[T])

// WithMaxIdle bounds the idle list.
func WithMaxIdle[T io.Closer](n int) Option[T] {
	return func(p *Pool[T]) {
		if n >= 0 {
			p.maxIdle = n
		}
	}
}

// WithOnRelease registers a callback run each time a resource is handed back.
func WithOnRelease[T io.Closer](fn func(T)) Option[T] {
	return func(p *Pool[T]) { p.onRelease = fn }
}

// WithCheck validates idle resources before reuse.
func WithCheck[T io.Closer](fn func(T) error) Option[T] {
	return func(p *Pool[T]) {
		if fn != nil {
			p.check = fn
		}
	}
}

// Pool hands out resources of type T, dialing new ones when none is idle.
type Pool[T io.Closer] struct {
	mu        sync.Mutex
	idle      []T
	maxIdle   int
	closed    bool
	dial      func(context.Context) (T, error)
	check     func(T) error
	closeFn   func(io.Closer) error
	onRelease func(T)
}

// New returns a pool dialing with dial.
func New[T io.Closer](dial func(context.Context) (T, error), opts ...Option[T]) *Pool[T] {
	p := &Pool[T]{
		dial:    dial,
		maxIdle: 4,
		check:   func(T) error { return nil },
		closeFn: io.Closer.Close, // method expression: func(io.Closer) error
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Get returns an idle resource that passes the check, or dials a new one.
func (p *Pool[T]) Get(ctx context.Context) (T, error) {
	for {
		t, ok, err := p.popIdle()
		if err != nil {
			var zero T
			return zero, err
		}
		if !ok {
			break
		}
		if err := p.check(t); err == nil {
			return t, nil
		}
		_ = p.closeFn(t)
	}
	t, err := p.dial(ctx)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("pool: dial: %w", err)
	}
	return t, nil
}

func (p *Pool[T]) popIdle() (T, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var zero T
	if p.closed {
		return zero, false, ErrClosed
	}
	if len(p.idle) == 0 {
		return zero, false, nil
	}
	t := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	return t, true, nil
}

// Put returns t to the idle list, or closes it when the list is full.
func (p *Pool[T]) Put(t T) {
	p.mu.Lock()
	if p.closed || len(p.idle) >= p.maxIdle {
		p.mu.Unlock()
		_ = p.closeFn(t)
		return
	}
	p.idle = append(p.idle, t)
	p.mu.Unlock()
}

// Close closes every idle resource; later Gets fail with ErrClosed.
func (p *Pool[T]) Close() error {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	var errs []error
	for _, t := range idle {
		if err := p.closeFn(t); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Do runs fn with a pooled resource and hands it back afterwards.
func (p *Pool[T]) Do(ctx context.Context, fn func(T) error) error {
	t, err := p.Get(ctx)
	if err != nil {
		return fmt.Errorf("pool: do: %w", err)
	}
	defer p.onRelease(t) // HAZ defer-nil-func
	defer p.Put(t)
	if err := fn(t); err != nil {
		return fmt.Errorf("pool: do: %w", err)
	}
	return nil
}

// With is Do for callers that want a value back.
func With[T io.Closer, R any](ctx context.Context, p *Pool[T], fn func(T) (R, error)) (R, error) {
	t, err := p.Get(ctx)
	if err != nil {
		var zero R
		return zero, fmt.Errorf("pool: with: %w", err)
	}
	defer p.release(t)
	return fn(t)
}

func (p *Pool[T]) release(t T) {
	p.Put(t)
	if p.onRelease != nil {
		p.onRelease(t)
	}
}

// Warm dials n resources ahead of traffic. On failure the ones already
// dialed are meant to be closed again.
func (p *Pool[T]) Warm(ctx context.Context, n int) error {
	undo := func() {}
	defer undo() // HAZ defer-eager-evaluation
	dialed := make([]T, 0, n)
	for i := range n {
		t, err := p.dial(ctx)
		if err != nil {
			return fmt.Errorf("pool: warm %d/%d: %w", i+1, n, err)
		}
		dialed = append(dialed, t)
		undo = func() {
			for _, t := range dialed {
				_ = p.closeFn(t)
			}
		}
	}
	undo = func() {}
	for _, t := range dialed {
		p.Put(t)
	}
	return nil
}

// Prime is Warm written with a named result: the deferred literal reads err
// when the function returns.
func (p *Pool[T]) Prime(ctx context.Context, n int) (err error) {
	dialed := make([]T, 0, n)
	defer func() {
		if err != nil {
			for _, t := range dialed {
				_ = p.closeFn(t)
			}
		}
	}()
	for i := range n {
		t, derr := p.dial(ctx)
		if derr != nil {
			return fmt.Errorf("pool: prime %d/%d: %w", i+1, n, derr)
		}
		dialed = append(dialed, t)
	}
	for _, t := range dialed {
		p.Put(t)
	}
	return nil
}

// Refresh retires the idle resources and dials n fresh ones. Errors from
// closing the retired resources are meant to be reported too.
func (p *Pool[T]) Refresh(ctx context.Context, n int) error {
	p.mu.Lock()
	retired := p.idle
	p.idle = nil
	p.mu.Unlock()

	var err error
	defer func() { // HAZ defer-ineffective-return
		for _, t := range retired {
			if cerr := p.closeFn(t); cerr != nil {
				err = errors.Join(err, fmt.Errorf("pool: retire: %w", cerr))
			}
		}
	}()
	fresh := make([]T, 0, n)
	for range n {
		t, derr := p.dial(ctx)
		if derr != nil {
			err = fmt.Errorf("pool: refresh: %w", derr)
			break
		}
		fresh = append(fresh, t)
	}
	for _, t := range fresh {
		p.Put(t)
	}
	return err
}
