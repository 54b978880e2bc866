package pool

import (
	"context"
	"fmt"
	"io"
	"sync"
)

// Lease is a resource checked out of a Pool; Release is idempotent.
type Lease[T io.Closer] struct {
	pool *Pool[T]
	val  T
	once sync.Once
}

// Lease checks a resource out.
func (p *Pool[T]) Lease(ctx context.Context) (*Lease[T], error) {
	t, err := p.Get(ctx)
	if err != nil {
		return nil, fmt.Errorf("pool: lease: %w", err)
	}
	return &Lease[T]{pool: p, val: t}, nil
}

// Value returns the leased resource.
func (l *Lease[T]) Value() T { return l.val }

// Release hands the resource back to the pool.
func (l *Lease[T]) Release() {
	l.once.Do(func() { l.pool.Put(l.val) })
}

// Discard closes the resource instead of handing it back.
func (l *Lease[T]) Discard() error {
	var err error
	l.once.Do(func() { err = l.pool.closeFn(l.val) })
	return err
}

// WithLease runs fn on a leased resource.
func WithLease[T io.Closer, R any](ctx context.Context, p *Pool[T], fn func(T) (R, error)) (R, error) {
	l, err := p.Lease(ctx)
	defer l.Release() // HAZ defer-before-error-check
	if err != nil {
		var zero R
		return zero, fmt.Errorf("with lease: %w", err)
	}
	return fn(l.Value())
}

// WithLeaseOrDiscard runs fn and discards the resource when fn fails, since
// a failed session may be half-way through a protocol exchange.
func WithLeaseOrDiscard[T io.Closer, R any](ctx context.Context, p *Pool[T], fn func(T) (R, error)) (r R, err error) {
	l, err := p.Lease(ctx)
	if err != nil {
		return r, fmt.Errorf("with lease: %w", err)
	}
	defer func() {
		if err != nil {
			if derr := l.Discard(); derr != nil {
				err = fmt.Errorf("%w (discard: %w)", err, derr)
			}
			return
		}
		l.Release()
	}()
	return fn(l.Value())
}
