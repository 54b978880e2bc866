package lifecycle

import (
	"context"
	"sync"
)

// Limiter is a counting semaphore.
type Limiter struct {
	slots chan struct{}
}

// NewLimiter allows n concurrent holders (at least one).
func NewLimiter(n int) *Limiter {
	if n < 1 {
		n = 1
	}
	return &Limiter{slots: make(chan struct{}, n)}
}

// Acquire waits for a slot. On success the returned release func is
// never nil; calling it more than once is harmless.
func (l *Limiter) Acquire(ctx context.Context) (func(), error) {
	select {
	case l.slots <- struct{}{}:
		return l.releaser(), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TryAcquire takes a slot if one is free. The release func is always
// non-nil, a no-op when ok is false, so callers can defer it directly.
func (l *Limiter) TryAcquire() (release func(), ok bool) {
	select {
	case l.slots <- struct{}{}:
		return l.releaser(), true
	default:
		return func() {}, false
	}
}

func (l *Limiter) releaser() func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			select {
			case <-l.slots:
			default:
			}
		})
	}
}
