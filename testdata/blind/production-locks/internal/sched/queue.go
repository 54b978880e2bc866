package sched

import (
	"errors"
	"sync"
)

var ErrQueueFull = errors.New("sched: queue full")

// BlockingQueue is the bounded FIFO between the API and the dispatcher.
type BlockingQueue[T any] struct {
	cond   *sync.Cond
	items  []T
	max    int
	closed bool
}

func NewBlockingQueue[T any](max int) *BlockingQueue[T] {
	return &BlockingQueue[T]{cond: sync.NewCond(&sync.Mutex{}), max: max}
}

// Push appends v, failing fast when the queue is full.
func (q *BlockingQueue[T]) Push(v T) error {
	q.cond.L.Lock()
	defer q.cond.L.Unlock() // ok: same Locker, same mode
	if q.closed {
		return errors.New("sched: queue closed")
	}
	if len(q.items) >= q.max {
		return ErrQueueFull
	}
	q.items = append(q.items, v)
	q.cond.Signal()
	return nil
}

// Pop blocks until an item is available or the queue is closed.
func (q *BlockingQueue[T]) Pop() (T, bool) {
	q.cond.L.Lock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		q.cond.L.Unlock()
		var zero T
		return zero, false
	}
	v := q.items[0]
	var zero T
	q.items[0] = zero
	q.items = q.items[1:]
	q.cond.L.Unlock()
	return v, true
}

// Close wakes every waiting Pop.
func (q *BlockingQueue[T]) Close() {
	q.cond.L.Lock()
	q.closed = true
	q.cond.L.Unlock()
	q.cond.Broadcast()
}
