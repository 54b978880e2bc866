package cache

import (
	"context"
	"fmt"
	"sync"
)

// Queue is an unbounded (or max-bounded) FIFO with a wake-up channel.
type Queue[T any] struct {
	mu     sync.Mutex
	items  []T
	max    int
	notify chan struct{}
}

// NewQueue returns a queue holding at most max items (0: unbounded).
func NewQueue[T any](max int) *Queue[T] {
	return &Queue[T]{max: max, notify: make(chan struct{}, 1)}
}

func (q *Queue[T]) signal() {
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// Push accepts a single T or a batch []T from the decoding layer.
func (q *Queue[T]) Push(v any) error {
	q.mu.Lock() // HAZ lock-leaked-on-return
	switch x := v.(type) {
	case T:
		q.items = append(q.items, x)
	case []T:
		q.items = append(q.items, x...)
	default:
		return fmt.Errorf("queue: cannot push %T", v)
	}
	q.mu.Unlock()
	q.signal()
	return nil
}

// PushAll appends a batch, unlocking explicitly on the rejection path too.
func (q *Queue[T]) PushAll(vs ...T) error {
	q.mu.Lock()
	if q.max > 0 && len(q.items)+len(vs) > q.max {
		n := len(q.items)
		q.mu.Unlock()
		return fmt.Errorf("queue: %d queued, %d more exceeds %d", n, len(vs), q.max)
	}
	q.items = append(q.items, vs...)
	q.mu.Unlock()
	q.signal()
	return nil
}

// MustPush appends v and panics when the queue is full; callers run under
// the dispatch panic guard.
func (q *Queue[T]) MustPush(v T) {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if q.max > 0 && len(q.items) >= q.max {
		panic(fmt.Sprintf("queue: full (%d items)", q.max))
	}
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.signal()
}

// Pop waits for an item or for ctx to end; the lock is released on every
// path before waiting or returning.
func (q *Queue[T]) Pop(ctx context.Context) (T, error) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			v := q.items[0]
			q.items = q.items[1:]
			q.mu.Unlock()
			return v, nil
		}
		q.mu.Unlock()
		select {
		case <-q.notify:
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
}

// Forward moves the queued items to out in order, holding the queue so
// that no Push interleaves.
func (q *Queue[T]) Forward(ctx context.Context, out chan<- T) error {
	q.mu.Lock() // HAZ lock-leaked-on-return
	for len(q.items) > 0 {
		select {
		case out <- q.items[0]:
			q.items = q.items[1:]
		case <-ctx.Done():
			return fmt.Errorf("queue: forward: %w", ctx.Err())
		}
	}
	q.mu.Unlock()
	return nil
}

// Take removes and returns everything queued, deferring the unlock.
func (q *Queue[T]) Take() []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	items := q.items
	q.items = nil
	return items
}

// ForwardTaken is Forward without holding the lock while sending: the items
// are taken first, and whatever was not sent is put back.
func (q *Queue[T]) ForwardTaken(ctx context.Context, out chan<- T) error {
	items := q.Take()
	for i, v := range items {
		select {
		case out <- v:
		case <-ctx.Done():
			q.mu.Lock()
			q.items = append(items[i:], q.items...)
			q.mu.Unlock()
			return fmt.Errorf("queue: forward: %w", ctx.Err())
		}
	}
	return nil
}
