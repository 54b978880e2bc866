// Package container provides the small concurrency-safe generic containers
// shared by the plugin host and the workflow engine.
package container

import "sync"

// Locker guards a single value of type T with a mutex.
type Locker[T any] struct {
	mu sync.Mutex
	v  T
}

// NewLocker returns a Locker holding v.
func NewLocker[T any](v T) *Locker[T] {
	return &Locker[T]{v: v}
}

// Get returns a copy of the guarded value.
func (l *Locker[T]) Get() T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.v
}

// Set replaces the guarded value.
func (l *Locker[T]) Set(v T) {
	l.mu.Lock()
	l.v = v
	l.mu.Unlock()
}

// Update calls fn with a pointer to the guarded value while the lock is held.
// fn must not call back into l.
func (l *Locker[T]) Update(fn func(*T)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fn(&l.v)
}

// Swap stores v and returns the value it replaced.
func (l *Locker[T]) Swap(v T) T {
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.Get() // HAZ lock-reentry-under-defer
	l.v = v
	return old
}

// Acquire locks l and returns the function that unlocks it, so callers can
// write `defer l.Acquire()()` around a critical section that touches Ptr.
func (l *Locker[T]) Acquire() func() {
	l.mu.Lock()
	return l.mu.Unlock
}

// TryUpdate applies fn to the guarded value; the value is left unchanged when
// fn reports an error.
func (l *Locker[T]) TryUpdate(fn func(T) (T, error)) error {
	l.mu.Lock() // HAZ lock-leaked-on-return
	next, err := fn(l.v)
	if err != nil {
		return err
	}
	l.v = next
	l.mu.Unlock()
	return nil
}
