// Package pqueue is a bounded, blocking priority queue built on a heap and
// two condition variables.
package pqueue

import (
	"container/heap"
	"context"
	"errors"
	"sync"
)

// ErrClosed is returned once the queue is closed and drained.
var ErrClosed = errors.New("pqueue: closed")

// Item is a queued value; higher Priority is served first, FIFO within a priority.
type Item[T any] struct {
	Value    T
	Priority int
	seq      uint64
}

type itemHeap[T any] []Item[T]

func (h itemHeap[T]) Len() int { return len(h) }
func (h itemHeap[T]) Less(i, j int) bool {
	if h[i].Priority != h[j].Priority {
		return h[i].Priority > h[j].Priority
	}
	return h[i].seq < h[j].seq
}
func (h itemHeap[T]) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *itemHeap[T]) Push(x any)   { *h = append(*h, x.(Item[T])) }
func (h *itemHeap[T]) Pop() any {
	old := *h
	n := len(old)
	it := old[n-1]
	*h = old[:n-1]
	return it
}

// Queue is safe for concurrent use.
type Queue[T any] struct {
	mu       sync.Mutex
	notEmpty *sync.Cond
	notFull  *sync.Cond
	h        itemHeap[T]
	capacity int
	closed   bool
	seq      uint64
}

// New returns a queue holding at most capacity items.
func New[T any](capacity int) *Queue[T] {
	q := &Queue[T]{capacity: capacity}
	q.notEmpty = sync.NewCond(&q.mu)
	q.notFull = sync.NewCond(&q.mu)
	return q
}

func (q *Queue[T]) pushLocked(v T, prio int) {
	q.seq++
	heap.Push(&q.h, Item[T]{Value: v, Priority: prio, seq: q.seq})
	q.notEmpty.Signal()
}

// Push blocks while the queue is full.
func (q *Queue[T]) Push(v T, prio int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.h) >= q.capacity && !q.closed {
		q.notFull.Wait() // ok: Cond.Wait in a loop, not deferred
	}
	if q.closed {
		return ErrClosed
	}
	q.pushLocked(v, prio)
	return nil
}

// TryPush adds v only if there is room.
func (q *Queue[T]) TryPush(v T, prio int) bool {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if q.closed || len(q.h) >= q.capacity {
		return false
	}
	q.pushLocked(v, prio)
	q.mu.Unlock()
	return true
}

// Pop blocks until an item is available; after Close it drains what is left.
func (q *Queue[T]) Pop() (T, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.h) == 0 && !q.closed {
		q.notEmpty.Wait()
	}
	if len(q.h) == 0 {
		var zero T
		return zero, ErrClosed
	}
	it := heap.Pop(&q.h).(Item[T])
	q.notFull.Signal()
	return it.Value, nil
}

// PopContext is Pop that gives up when ctx ends.
func (q *Queue[T]) PopContext(ctx context.Context) (T, error) {
	stop := context.AfterFunc(ctx, func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		q.notEmpty.Broadcast()
	})
	defer stop()
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.h) == 0 && !q.closed {
		if err := ctx.Err(); err != nil {
			var zero T
			return zero, err
		}
		q.notEmpty.Wait()
	}
	if len(q.h) == 0 {
		var zero T
		return zero, ErrClosed
	}
	it := heap.Pop(&q.h).(Item[T])
	q.notFull.Signal()
	return it.Value, nil
}

// PopBatch takes up to max items without blocking.
func (q *Queue[T]) PopBatch(max int) []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	defer q.notFull.Broadcast() // ok: Broadcast never blocks
	var out []T
	for len(q.h) > 0 && len(out) < max {
		out = append(out, heap.Pop(&q.h).(Item[T]).Value)
	}
	return out
}

// Len reports the number of queued items.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.h)
}

// Items returns a copy of the queued items, highest priority first.
func (q *Queue[T]) Items() []Item[T] {
	q.mu.Lock()
	defer q.mu.Unlock()
	cp := make(itemHeap[T], len(q.h))
	copy(cp, q.h)
	out := make([]Item[T], 0, len(cp))
	for cp.Len() > 0 {
		out = append(out, heap.Pop(&cp).(Item[T]))
	}
	return out
}

// Close wakes every waiter; Push fails afterwards and Pop drains.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.notEmpty.Broadcast()
	q.notFull.Broadcast()
}
