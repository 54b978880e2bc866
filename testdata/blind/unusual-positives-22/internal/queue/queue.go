// Package queue is the in-process work queue that feeds the tile renderers.
package queue

import (
	"errors"
	"sync"
)

// ErrClosed is returned by Push after Close.
var ErrClosed = errors.New("queue: closed")

// Queue is an unbounded FIFO with idle tracking.
type Queue[T any] struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []T
	active int
	closed bool
}

// New returns an empty queue.
func New[T any]() *Queue[T] {
	q := &Queue[T]{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Push appends v and wakes one waiter.
func (q *Queue[T]) Push(v T) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	q.items = append(q.items, v)
	q.cond.Signal()
	return nil
}

// Pop blocks until an item is available or the queue is closed. The caller
// must call Done when it has finished the item.
func (q *Queue[T]) Pop() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		var zero T
		return zero, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.active++
	return v, true
}

// Done marks one popped item as finished.
func (q *Queue[T]) Done() {
	q.mu.Lock()
	defer q.mu.Unlock()
	defer q.cond.Broadcast()
	q.active--
}

// Drain hands every queued item to fn, then waits for in-flight items.
func (q *Queue[T]) Drain(fn func(T)) int {
	defer q.waitIdle() // HAZ defer-blocking-call
	n := 0
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			q.mu.Unlock()
			return n
		}
		v := q.items[0]
		q.items = q.items[1:]
		q.mu.Unlock()
		fn(v)
		n++
	}
}

func (q *Queue[T]) waitIdle() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.active > 0 {
		q.cond.Wait()
	}
}

// WaitIdle blocks until no popped item is outstanding.
func (q *Queue[T]) WaitIdle() {
	q.waitIdle()
}

// Close stops accepting items and returns those never popped. It waits for
// the in-flight items on the way out.
func (q *Queue[T]) Close() []T {
	q.mu.Lock()
	q.closed = true
	rest := q.items
	q.items = nil
	q.cond.Broadcast()
	q.mu.Unlock()
	defer func() { // HAZ defer-blocking-call
		q.mu.Lock()
		for q.active > 0 {
			q.cond.Wait()
		}
		q.mu.Unlock()
	}()
	return rest
}

// Shutdown stops accepting items and returns those never popped, without
// waiting; callers that need it call WaitIdle afterwards.
func (q *Queue[T]) Shutdown() []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	defer q.cond.Broadcast()
	q.closed = true
	rest := q.items
	q.items = nil
	return rest
}

// Len reports the number of queued items.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}
