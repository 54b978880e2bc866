package deferr

import (
	"errors"
	"sync"
)

var errPoolClosed = errors.New("pool closed")

// connPool keeps what Put gives it; Get fails once the pool is closed.
type connPool[T any] struct {
	mu     sync.Mutex
	idle   chan T
	closed bool
	newFn  func() (T, error)
}

func (p *connPool[T]) Get() (T, error) {
	select {
	case v := <-p.idle:
		return v, nil
	default:
	}
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		var zero T
		return zero, errPoolClosed
	}
	return p.newFn()
}

func (p *connPool[T]) Put(v T) {
	select {
	case p.idle <- v:
	default:
	}
}

// A failed Get still hands its zero value back to the pool.
func (p *connPool[T]) With(fn func(T) error) error {
	v, err := p.Get()
	defer p.Put(v) // want `v from .*Get on line \d+ is used by the deferred p.Put\(v\) before err is checked: .* hands it back to the pool`
	if err != nil {
		return err
	}
	return fn(v)
}

// Deferred after the check: only good values go back.
func (p *connPool[T]) WithChecked(fn func(T) error) error {
	v, err := p.Get()
	if err != nil {
		return err
	}
	defer p.Put(v)
	return fn(v)
}

// bufPool drops what it is not meant to keep: its Put looks at the value first.
type bufPool struct{ free [][]byte }

func (b *bufPool) Get() ([]byte, error) {
	if len(b.free) == 0 {
		return make([]byte, 0, 512), nil
	}
	v := b.free[len(b.free)-1]
	b.free = b.free[:len(b.free)-1]
	return v, nil
}

func (b *bufPool) Put(v []byte) {
	if v == nil {
		return
	}
	b.free = append(b.free, v[:0])
}

func (b *bufPool) With(fn func([]byte) error) error {
	v, err := b.Get()
	defer b.Put(v)
	if err != nil {
		return err
	}
	return fn(v)
}
