package cache

import (
	"context"
	"sync"
)

// Queue is an unbounded FIFO work queue.
type Queue[T any] struct {
	mu     sync.Mutex
	items  []T
	notify chan struct{}
}

// NewQueue returns an empty queue.
func NewQueue[T any]() *Queue[T] {
	return &Queue[T]{notify: make(chan struct{}, 1)}
}

// Push appends v and wakes one waiter.
func (q *Queue[T]) Push(v T) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// Pop removes the oldest item, if any.
func (q *Queue[T]) Pop() (T, bool) {
	q.mu.Lock()
	if len(q.items) == 0 {
		q.mu.Unlock()
		var zero T
		return zero, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.mu.Unlock()
	return v, true
}

// Wait blocks until an item may be available or ctx is done.
func (q *Queue[T]) Wait(ctx context.Context) error {
	select {
	case <-q.notify:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Drain removes up to max items at once.
func (q *Queue[T]) Drain(ctx context.Context, max int) ([]T, error) {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := min(max, len(q.items))
	out := append([]T(nil), q.items[:n]...)
	q.items = q.items[n:]
	q.mu.Unlock()
	return out, nil
}

// Len returns the number of queued items.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}
