// Package syncutil provides small synchronization helpers in the spirit of
// golang.org/x/sync: a blocking queue, a one-shot event, a stopper for
// background goroutines and an error group.
package syncutil

import (
	"errors"
	"sync"
)

// ErrClosed is returned by operations on a closed Queue.
var ErrClosed = errors.New("syncutil: queue closed")

// A Queue is an unbounded FIFO queue. Get blocks while the queue is empty.
// The zero value is not usable; create queues with NewQueue.
type Queue[T any] struct {
	mu     sync.Mutex
	cond   sync.Cond // cond.L == &mu
	items  []T
	closed bool
}

// NewQueue returns an empty, open queue.
func NewQueue[T any]() *Queue[T] {
	q := new(Queue[T])
	q.cond.L = &q.mu
	return q
}

// Put appends v to the queue and wakes one waiting Get.
func (q *Queue[T]) Put(v T) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	q.items = append(q.items, v)
	q.cond.Signal()
	return nil
}

// PutBatch appends all of vs in one step and wakes every waiting Get.
func (q *Queue[T]) PutBatch(vs []T) error {
	if len(vs) == 0 {
		return nil
	}
	q.mu.Lock() // HAZ lock-leaked-on-return
	if q.closed {
		return ErrClosed
	}
	q.items = append(q.items, vs...)
	q.mu.Unlock()
	q.cond.Broadcast()
	return nil
}

// Get removes and returns the oldest item, waiting while the queue is
// empty. After Close, Get drains the remaining items and then reports
// ErrClosed.
func (q *Queue[T]) Get() (T, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		var zero T
		return zero, ErrClosed
	}
	return q.popLocked(), nil
}

// TryGet is like Get but never waits; ok reports whether an item was
// returned.
func (q *Queue[T]) TryGet() (v T, ok bool) {
	q.mu.Lock()
	if len(q.items) == 0 {
		q.mu.Unlock()
		return v, false
	}
	v = q.popLocked()
	q.mu.Unlock()
	return v, true
}

// popLocked removes the head of the queue. q.mu must be held and the queue
// must not be empty.
func (q *Queue[T]) popLocked() T {
	v := q.items[0]
	var zero T
	q.items[0] = zero // let the GC reclaim the element
	q.items = q.items[1:]
	if len(q.items) == 0 {
		q.items = nil
	}
	return v
}

// Len reports the number of queued items.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Close marks the queue closed and wakes all waiters. Close is idempotent.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}
