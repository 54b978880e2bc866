package cache

import (
	"fmt"
	"sync"
)

// Queue is a FIFO with an embedded mutex and a wake-up channel.
type Queue[T any] struct {
	sync.Mutex
	items  []T
	limit  int
	notify chan struct{}
}

// NewQueue returns a queue that holds at most limit items (0 = unbounded).
func NewQueue[T any](limit int) *Queue[T] {
	return &Queue[T]{limit: limit, notify: make(chan struct{}, 1)}
}

// Push appends v and wakes one waiter without blocking.
func (q *Queue[T]) Push(v T) {
	q.Lock()
	q.items = append(q.items, v)
	q.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// Len reports the number of queued items.
func (q *Queue[T]) Len() int {
	q.Lock()
	defer q.Unlock()
	return len(q.items)
}

// PopN pops up to n items, one lock round per item.
func (q *Queue[T]) PopN(n int) []T {
	out := make([]T, 0, n)
	for range n {
		q.Lock()
		defer q.Unlock() // HAZ defer-in-loop
		if len(q.items) == 0 {
			break
		}
		out = append(out, q.items[0])
		q.items = q.items[1:]
	}
	return out
}

// PopEach pops up to n items; the per-item critical section is a closure so
// every unlock happens before the next lock.
func (q *Queue[T]) PopEach(n int, fn func(T)) int {
	done := 0
	for range n {
		var (
			v  T
			ok bool
		)
		func() {
			q.Lock()
			defer q.Unlock()
			if len(q.items) > 0 {
				v, ok = q.items[0], true
				q.items = q.items[1:]
			}
		}()
		if !ok {
			break
		}
		fn(v)
		done++
	}
	return done
}

// PopUpTo pops up to n items under a single lock.
func (q *Queue[T]) PopUpTo(n int) []T {
	q.Lock()
	defer q.Unlock()
	n = min(n, len(q.items))
	out := append([]T(nil), q.items[:n]...)
	q.items = q.items[n:]
	return out
}

// Requeue puts v back at the tail, dropping the oldest item when full.
func (q *Queue[T]) Requeue(v T) (dropped bool) {
	push := q.Push
	q.Lock()
	defer q.Unlock()
	if q.limit > 0 && len(q.items) >= q.limit {
		q.items = q.items[1:]
		dropped = true
	}
	push(v) // HAZ lock-reentry-under-defer
	return dropped
}

// DrainTo moves every item into dst. dst has its own mutex; pushing into it
// while q is locked is not re-entry.
func (q *Queue[T]) DrainTo(dst *Queue[T]) int {
	q.Lock()
	defer q.Unlock()
	for _, v := range q.items {
		dst.Push(v)
	}
	n := len(q.items)
	q.items = nil
	return n
}

// PushAny accepts a T or a []T.
func (q *Queue[T]) PushAny(v any) error {
	q.Lock() // HAZ lock-leaked-on-return
	switch x := v.(type) {
	case T:
		q.items = append(q.items, x)
	case []T:
		q.items = append(q.items, x...)
	default:
		return fmt.Errorf("queue: cannot push %T", v)
	}
	q.Unlock()
	return nil
}

// PushAll accepts a T or a []T; every branch unlocks before leaving.
func (q *Queue[T]) PushAll(vs ...any) error {
	q.Lock()
	for _, v := range vs {
		switch x := v.(type) {
		case T:
			q.items = append(q.items, x)
		case []T:
			q.items = append(q.items, x...)
		default:
			q.Unlock()
			return fmt.Errorf("queue: cannot push %T", v)
		}
	}
	q.Unlock()
	return nil
}
