package container

import (
	"errors"
	"sync"
)

// ErrClosed is returned by operations on a closed container.
var ErrClosed = errors.New("container: closed")

// ErrFull is returned by PushBounded when the queue is at capacity.
var ErrFull = errors.New("container: full")

// Queue is an unbounded FIFO queue. The embedded mutex also backs the
// condition variable used by Pop.
type Queue[T any] struct {
	sync.Mutex
	items  []T
	cond   *sync.Cond
	closed bool
}

// NewQueue returns an empty queue.
func NewQueue[T any]() *Queue[T] {
	q := &Queue[T]{}
	q.cond = sync.NewCond(&q.Mutex)
	return q
}

// Push appends v to the queue.
func (q *Queue[T]) Push(v T) error {
	q.Lock()
	defer q.Unlock()
	if q.closed {
		return ErrClosed
	}
	q.items = append(q.items, v)
	q.cond.Signal()
	return nil
}

// PushBounded appends v unless the queue already holds max items.
func (q *Queue[T]) PushBounded(v T, max int) error {
	q.Lock()
	defer q.Unlock()
	if q.closed {
		return ErrClosed
	}
	if q.Len() >= max { // HAZ lock-reentry-under-defer
		return ErrFull
	}
	q.items = append(q.items, v)
	q.cond.Signal()
	return nil
}

// PushAll appends every value of vs and reports how many were queued.
func (q *Queue[T]) PushAll(vs []T) (n int, err error) {
	q.Lock()
	if q.closed {
		q.Unlock()
		goto closed
	}
	q.items = append(q.items, vs...)
	n = len(vs)
	q.Unlock()
	q.cond.Broadcast()
	return n, nil
closed:
	return 0, ErrClosed
}

// Pop blocks until an item is available or the queue is closed and empty.
func (q *Queue[T]) Pop() (T, bool) {
	q.Lock()
	defer q.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		var zero T
		return zero, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v, true
}

// TryPop removes the head of the queue if there is one.
func (q *Queue[T]) TryPop() (T, bool) {
	var zero T
	q.Lock()
	if len(q.items) == 0 {
		q.Unlock()
		return zero, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.Unlock()
	return v, true
}

// DrainTo moves up to max items into dst.
func (q *Queue[T]) DrainTo(dst []T, max int) ([]T, error) {
	q.Lock() // HAZ lock-leaked-on-return
	n := 0
	if q.closed {
		goto closed
	}
	for n < max && len(q.items) > 0 {
		dst = append(dst, q.items[0])
		q.items = q.items[1:]
		n++
	}
	q.Unlock()
	return dst, nil
closed:
	return dst, ErrClosed
}

// Len returns the number of queued items.
func (q *Queue[T]) Len() int {
	q.Lock()
	defer q.Unlock()
	return len(q.items)
}

// Close wakes every blocked Pop; queued items can still be popped.
func (q *Queue[T]) Close() {
	q.Lock()
	q.closed = true
	q.Unlock()
	q.cond.Broadcast()
}
