// Package connpool is a small generic pool of closable connections. It never
// blocks: Get dials when nothing is idle and Put closes what does not fit.
package connpool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
)

// ErrClosed is returned by Get after Close.
var ErrClosed = errors.New("connpool: closed")

// Pool keeps up to size idle connections of type T.
type Pool[T io.Closer] struct {
	idle   chan T
	dial   func(context.Context) (T, error)
	closed atomic.Bool
}

// New dials size connections up front; it fails if any dial fails.
func New[T io.Closer](ctx context.Context, size int, dial func(context.Context) (T, error)) (*Pool[T], error) {
	p := &Pool[T]{idle: make(chan T, size), dial: dial}
	for range size {
		c, err := dial(ctx)
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("connpool: warm up: %w", err)
		}
		p.idle <- c
	}
	return p, nil
}

// Get returns an idle connection or dials a new one.
func (p *Pool[T]) Get(ctx context.Context) (T, error) {
	if p.closed.Load() {
		var zero T
		return zero, ErrClosed
	}
	select {
	case c := <-p.idle:
		return c, nil
	default:
		return p.dial(ctx)
	}
}

// Put returns c to the pool, closing it if the pool is full or closed.
func (p *Pool[T]) Put(c T) {
	if p.closed.Load() {
		c.Close()
		return
	}
	select {
	case p.idle <- c:
	default:
		c.Close()
	}
}

// Close closes every idle connection; later Gets fail with ErrClosed.
func (p *Pool[T]) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	var errs []error
	for {
		select {
		case c := <-p.idle:
			if err := c.Close(); err != nil {
				errs = append(errs, err)
			}
		default:
			return errors.Join(errs...)
		}
	}
}
