// Package limit bounds the number of requests a proxy forwards at once.
package limit

import (
	"context"
	"errors"
	"sync"
)

// ErrBusy is returned by TryAcquire when every slot is taken.
var ErrBusy = errors.New("limit: all slots in use")

// Limiter is a counting semaphore with release funcs that are safe to call
// more than once.
type Limiter struct {
	sem chan struct{}
}

// New returns a limiter with n slots.
func New(n int) *Limiter {
	if n < 1 {
		n = 1
	}
	return &Limiter{sem: make(chan struct{}, n)}
}

// Acquire waits for a slot or for ctx to end.
func (l *Limiter) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case l.sem <- struct{}{}:
		return l.releaser(), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TryAcquire takes a slot if one is free.
func (l *Limiter) TryAcquire() (release func(), err error) {
	select {
	case l.sem <- struct{}{}:
		return l.releaser(), nil
	default:
		return nil, ErrBusy
	}
}

// releaser returns a func giving back exactly one slot. The receive never
// blocks: the slot was filled by the caller's acquire.
func (l *Limiter) releaser() func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			select {
			case <-l.sem:
			default:
			}
		})
	}
}

// InUse returns the number of slots currently taken.
func (l *Limiter) InUse() int { return len(l.sem) }

// Cap returns the number of slots.
func (l *Limiter) Cap() int { return cap(l.sem) }
