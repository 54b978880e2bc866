package worker

import (
	"context"
	"errors"
	"sync/atomic"
)

// Semaphore bounds concurrency with a buffered channel.
type Semaphore struct {
	slots chan struct{}
}

// NewSemaphore allows n concurrent holders.
func NewSemaphore(n int) *Semaphore {
	return &Semaphore{slots: make(chan struct{}, max(1, n))}
}

// Acquire waits for a slot or for ctx to end.
func (s *Semaphore) Acquire(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryAcquire takes a slot if one is free.
func (s *Semaphore) TryAcquire() bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// Release returns a slot. It never blocks: releasing more than was acquired
// is a programming error and panics.
func (s *Semaphore) Release() {
	select {
	case <-s.slots:
	default:
		panic("worker: semaphore released more often than acquired")
	}
}

// InUse is the number of held slots.
func (s *Semaphore) InUse() int { return len(s.slots) }

var errDoubleRelease = errors.New("worker: lease released twice")

// Lease is a held slot that can be released exactly once.
type Lease struct {
	sem      *Semaphore
	released atomic.Bool
}

// AcquireLease is Acquire returning a Lease.
func (s *Semaphore) AcquireLease(ctx context.Context) (*Lease, error) {
	if err := s.Acquire(ctx); err != nil {
		return nil, err
	}
	return &Lease{sem: s}, nil
}

// Release frees the slot; a second call reports an error instead of
// corrupting the count.
func (l *Lease) Release() error {
	if !l.released.CompareAndSwap(false, true) {
		return errDoubleRelease
	}
	l.sem.Release()
	return nil
}
