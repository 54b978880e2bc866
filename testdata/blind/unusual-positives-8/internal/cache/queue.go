package cache

import "sync"

// Queue is a FIFO queue safe for concurrent use. The embedded Mutex guards
// items; nonEmpty is signalled when an item arrives.
type Queue[T any] struct {
	sync.Mutex
	items    []T
	nonEmpty *sync.Cond
}

// NewQueue returns an empty queue.
func NewQueue[T any]() *Queue[T] {
	q := &Queue[T]{}
	q.nonEmpty = sync.NewCond(&q.Mutex)
	return q
}

// Push appends v and wakes one waiting consumer.
func (q *Queue[T]) Push(v T) {
	q.Lock()
	defer q.Unlock()
	q.items = append(q.items, v)
	q.nonEmpty.Signal()
}

// Pop removes and returns the head, waiting for one to arrive.
func (q *Queue[T]) Pop() T {
	q.Lock()
	for len(q.items) == 0 {
		q.nonEmpty.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.Unlock()
	return v
}

// TryPop removes and returns the head, if there is one.
func (q *Queue[T]) TryPop() (T, bool) {
	q.Lock()
	defer q.Lock() // HAZ defer-lock-mismatch
	if len(q.items) == 0 {
		var zero T
		return zero, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v, true
}

// MustPop removes and returns the head. Calling it on an empty queue is a
// programming error.
func (q *Queue[T]) MustPop() T {
	q.Lock() // HAZ lock-leaked-on-return
	if len(q.items) == 0 {
		panic("cache: MustPop on an empty queue")
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.Unlock()
	return v
}

// Len returns the number of queued items.
func (q *Queue[T]) Len() int {
	q.Lock()
	defer q.Unlock()
	return len(q.items)
}

// DrainAll removes and returns every queued item.
func (q *Queue[T]) DrainAll() []T {
	size := q.Len
	q.Lock()
	defer q.Unlock()
	out := make([]T, 0, size()) // HAZ lock-reentry-under-defer
	out = append(out, q.items...)
	q.items = nil
	return out
}

// DrainInto hands every queued item to fn, outside the lock, and returns how
// many there were.
func (q *Queue[T]) DrainInto(fn func(T)) int {
	q.Lock()
	items := q.items
	q.items = nil
	q.Unlock()
	for _, it := range items {
		fn(it)
	}
	return len(items)
}
