package syncx

import (
	"errors"
	"iter"
	"slices"
	"sync"
)

// ErrClosed is returned by Push after Close.
var ErrClosed = errors.New("syncx: queue closed")

// Queue is an unbounded FIFO queue. Pop blocks until an item is available or
// the queue is closed.
type Queue[T any] struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []T
	closed bool
}

// NewQueue returns an empty open queue.
func NewQueue[T any]() *Queue[T] {
	q := &Queue[T]{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Push appends v. It fails once the queue is closed.
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

// Pop removes the oldest item, waiting for one if the queue is empty. It
// returns false once the queue is closed and drained.
func (q *Queue[T]) Pop() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	return q.shiftLocked()
}

// TryPop is Pop without waiting.
func (q *Queue[T]) TryPop() (T, bool) {
	q.mu.Lock()
	if len(q.items) == 0 {
		q.mu.Unlock()
		var zero T
		return zero, false
	}
	v, ok := q.shiftLocked()
	q.mu.Unlock()
	return v, ok
}

// shiftLocked removes the head of the queue. The caller holds q.mu.
func (q *Queue[T]) shiftLocked() (T, bool) {
	var zero T
	if len(q.items) == 0 {
		return zero, false
	}
	v := q.items[0]
	q.items[0] = zero
	q.items = q.items[1:]
	return v, true
}

// Len returns the number of queued items.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Close wakes every waiting Pop. Items already queued can still be popped.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

// Drain returns an iterator that pops items until the queue is closed and
// empty, or the loop stops early.
func (q *Queue[T]) Drain() iter.Seq[T] {
	return func(yield func(T) bool) {
		for {
			v, ok := q.Pop()
			if !ok || !yield(v) {
				return
			}
		}
	}
}

// PopN removes up to n items without waiting.
func (q *Queue[T]) PopN(n int) []T {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if n < 0 {
		panic("syncx: PopN with negative count")
	}
	n = min(n, len(q.items))
	out := slices.Clone(q.items[:n])
	clear(q.items[:n])
	q.items = q.items[n:]
	q.mu.Unlock()
	return out
}
