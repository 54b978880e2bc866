package pool

import (
	"sync"
	"time"
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

// Acquire takes a slot, blocking while none is free.
func (s *Semaphore) Acquire() { s.slots <- struct{}{} }

// TryAcquire takes a slot if one frees up within d.
func (s *Semaphore) TryAcquire(d time.Duration) bool {
	select {
	case s.slots <- struct{}{}:
		return true
	case <-time.After(d):
		return false
	}
}

// Release gives a slot back. It never blocks: releasing a slot that was not
// acquired is a programming error.
func (s *Semaphore) Release() {
	select {
	case <-s.slots:
	default:
		panic("pool: release of unacquired semaphore")
	}
}

// InUse reports the number of taken slots.
func (s *Semaphore) InUse() int { return len(s.slots) }

// WithSlot runs fn while holding a slot.
func (s *Semaphore) WithSlot(fn func() error) error {
	s.Acquire()
	defer s.Release()
	return fn()
}

// ForEachLimited calls fn for each item with at most limit calls in flight
// and returns the first error.
func ForEachLimited(items []string, limit int, fn func(string) error) error {
	sem := NewSemaphore(limit)
	errs := make(chan error, len(items))
	var wg sync.WaitGroup
	for _, it := range items {
		it := it
		sem.Acquire()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer sem.Release()
			errs <- fn(it)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Throttle calls fn for each item with at most limit calls in flight.
func Throttle(items []string, limit int, fn func(string)) int {
	sem := NewSemaphore(limit)
	var wg sync.WaitGroup
	launched := 0
	for i := 0; i < len(items); i++ {
		sem.Acquire()
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			defer sem.Release()
			fn(items[i])
		}()
		launched++
	}
	wg.Wait()
	return launched
}

// ThrottleIndexed is Throttle with the index passed to the goroutine.
func ThrottleIndexed(items []string, limit int, fn func(int, string)) {
	sem := NewSemaphore(limit)
	var wg sync.WaitGroup
	for i := 0; i < len(items); i++ {
		sem.Acquire()
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer sem.Release()
			fn(i, items[i])
		}(i)
	}
	wg.Wait()
}
