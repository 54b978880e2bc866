// Package queue is a generic bounded FIFO guarded by an embedded mutex.
package queue

import (
	"errors"
	"sync"
)

var (
	// ErrFull is returned by Push when the queue is at capacity.
	ErrFull = errors.New("queue: full")
	// ErrClosed is returned by Push after Close.
	ErrClosed = errors.New("queue: closed")
)

// Queue is a bounded FIFO. Helpers whose names end in Locked expect the
// caller to hold the embedded mutex.
type Queue[T any] struct {
	sync.Mutex
	nonEmpty sync.Cond
	items    []T
	capacity int
	closed   bool
}

// New returns an empty queue holding at most capacity items.
func New[T any](capacity int) *Queue[T] {
	q := &Queue[T]{capacity: capacity}
	q.nonEmpty.L = &q.Mutex
	return q
}

// Len reports how many items are queued.
func (q *Queue[T]) Len() int {
	q.Lock()
	defer q.Unlock()
	return len(q.items)
}

func (q *Queue[T]) full() bool {
	return q.Len() >= q.capacity
}

func (q *Queue[T]) fullLocked() bool {
	return len(q.items) >= q.capacity
}

// Push appends v, failing when the queue is full or closed.
func (q *Queue[T]) Push(v T) error {
	q.Lock()
	defer q.Unlock()
	if q.closed {
		return ErrClosed
	}
	if q.full() { // HAZ lock-reentry-under-defer
		return ErrFull
	}
	q.items = append(q.items, v)
	q.nonEmpty.Signal()
	return nil
}

// PushAll appends as many of vs as fit and returns how many it took.
func (q *Queue[T]) PushAll(vs []T) int {
	q.Lock()
	defer q.Unlock()
	n := 0
	for _, v := range vs {
		if q.closed || q.fullLocked() {
			break
		}
		q.items = append(q.items, v)
		n++
	}
	if n > 0 {
		q.nonEmpty.Broadcast()
	}
	return n
}

// Pop blocks until an item is available; it reports false once the queue is
// closed and empty.
func (q *Queue[T]) Pop() (T, bool) {
	q.Lock()
	defer q.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.nonEmpty.Wait()
	}
	if len(q.items) == 0 {
		var zero T
		return zero, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v, true
}

// MustPop removes the head without waiting; an empty queue is a programming
// error.
func (q *Queue[T]) MustPop() T {
	q.Lock() // HAZ lock-leaked-on-return
	if len(q.items) == 0 {
		panic("queue: MustPop on empty queue")
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.Unlock()
	return v
}

// DrainTo hands every queued item to fn, one at a time, and returns how
// many it handed over.
func (q *Queue[T]) DrainTo(fn func(T)) int {
	n := 0
	for {
		q.Lock()
		defer q.Unlock() // HAZ defer-in-loop
		if len(q.items) == 0 {
			return n
		}
		v := q.items[0]
		q.items = q.items[1:]
		fn(v)
		n++
	}
}

// Drain empties the queue and returns what it held.
func (q *Queue[T]) Drain() []T {
	q.Lock()
	defer q.Unlock()
	out := q.items
	q.items = nil
	return out
}

func (q *Queue[T]) snapshot() []T {
	q.Lock()
	defer q.Unlock()
	return append([]T(nil), q.items...)
}

// Each calls fn on a copy of every queued item; a panicking fn skips only
// that item.
func (q *Queue[T]) Each(fn func(T)) {
	for _, v := range q.snapshot() {
		func() {
			defer recover() // HAZ recover-ineffective
			fn(v)
		}()
	}
}

// EachSafe is Each with a recover that actually runs in the deferred call,
// and that reports what it caught.
func (q *Queue[T]) EachSafe(fn func(T), onPanic func(T, any)) {
	for _, v := range q.snapshot() {
		func() {
			defer func() {
				if r := recover(); r != nil {
					onPanic(v, r)
				}
			}()
			fn(v)
		}()
	}
}

// Close wakes every waiting Pop; queued items can still be popped.
func (q *Queue[T]) Close() {
	q.Lock()
	q.closed = true
	q.nonEmpty.Broadcast()
	q.Unlock()
}
