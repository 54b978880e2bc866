// Package syncx holds the small concurrency helpers shared by the
// ingest, store and export packages.
package syncx

import (
	"sync"
	"time"
)

// Guarded is a mutex meant to be embedded in the structs it protects.
type Guarded struct {
	sync.Mutex
}

// With runs f while holding g.
func (g *Guarded) With(f func()) {
	g.Lock()
	defer g.Unlock()
	f()
}

// Semaphore bounds the number of concurrent holders.
type Semaphore chan struct{}

// NewSemaphore returns a semaphore with n slots.
func NewSemaphore(n int) Semaphore {
	if n < 1 {
		n = 1
	}
	return make(Semaphore, n)
}

// Acquire blocks until a slot is free and returns the function that frees it.
func (s Semaphore) Acquire() func() {
	s <- struct{}{}
	return s.release
}

// TryAcquire takes a slot if one is free right now.
func (s Semaphore) TryAcquire() (func(), bool) {
	select {
	case s <- struct{}{}:
		return s.release, true
	default:
		return nil, false
	}
}

func (s Semaphore) release() {
	<-s
}

// Backoff returns the delay before retry attempt n (0-based), capped at max.
func Backoff(base, max time.Duration, n int) time.Duration {
	d := base
	for i := 0; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	return d
}
