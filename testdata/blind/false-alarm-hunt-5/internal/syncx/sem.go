package syncx

import (
	"context"
	"sync"
)

// Semaphore is a counting semaphore built on a buffered channel.
type Semaphore struct {
	slots chan struct{}
}

// NewSemaphore returns a semaphore with n slots.
func NewSemaphore(n int) *Semaphore {
	if n < 1 {
		n = 1
	}
	return &Semaphore{slots: make(chan struct{}, n)}
}

// Acquire takes a slot or gives up when ctx is done.
func (s *Semaphore) Acquire(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryAcquire takes a slot if one is free right now.
func (s *Semaphore) TryAcquire() bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// Release gives a slot back. It never blocks.
func (s *Semaphore) Release() {
	select {
	case <-s.slots:
	default:
		panic("syncx: Release without Acquire")
	}
}

// InUse reports how many slots are taken.
func (s *Semaphore) InUse() int { return len(s.slots) }

// Lazy computes a value once, retrying after failures.
type Lazy[T any] struct {
	mu   sync.Mutex
	done bool
	val  T
	err  error
	init func() (T, error)
}

// NewLazy returns a Lazy that calls init on first use.
func NewLazy[T any](init func() (T, error)) *Lazy[T] {
	return &Lazy[T]{init: init}
}

// Get returns the value, computing it if needed. Errors are not cached.
func (l *Lazy[T]) Get() (T, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return l.val, nil
	}
	v, err := l.init()
	if err != nil {
		var zero T
		return zero, err
	}
	l.val, l.done = v, true
	return v, nil
}

// Reset forgets the cached value.
func (l *Lazy[T]) Reset() {
	l.mu.Lock()
	var zero T
	l.val, l.done = zero, false
	l.mu.Unlock()
}
