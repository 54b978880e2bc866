package catalog

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Priority orders queued deliveries.
type Priority int

// Priorities.
const (
	PriorityLow Priority = iota
	PriorityHigh
)

// Item is one queued delivery.
type Item struct {
	Topic    string
	Seq      uint64
	Priority Priority
}

// Queue errors.
var (
	ErrClosed    = errors.New("queue: closed")
	ErrFull      = errors.New("queue: full")
	ErrThrottled = errors.New("queue: throttled")
)

// Queue is a bounded two-level delivery queue with a token bucket in front.
type Queue struct {
	mu     sync.Mutex
	high   []Item
	low    []Item
	limit  int
	tokens chan struct{}
	closed bool
}

// NewQueue returns a queue holding at most limit low-priority items and
// admitting at most burst offers before Refill.
func NewQueue(limit, burst int) *Queue {
	q := &Queue{limit: limit, tokens: make(chan struct{}, burst)}
	q.Refill(burst)
	return q
}

// Refill adds up to n tokens without blocking.
func (q *Queue) Refill(n int) {
	for i := 0; i < n; i++ {
		select {
		case q.tokens <- struct{}{}:
		default:
			return
		}
	}
}

// Offer enqueues it when a token is available, failing fast otherwise.
func (q *Queue) Offer(ctx context.Context, it Item) error {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if q.closed {
		q.mu.Unlock()
		return ErrClosed
	}
	select {
	case <-ctx.Done():
		q.mu.Unlock()
		return ctx.Err()
	case <-q.tokens:
		switch it.Priority {
		case PriorityHigh:
			q.high = append(q.high, it)
		case PriorityLow:
			if len(q.low) >= q.limit {
				return ErrFull
			}
			q.low = append(q.low, it)
		default:
			q.mu.Unlock()
			return fmt.Errorf("queue: bad priority %d", it.Priority)
		}
	default:
		q.mu.Unlock()
		return ErrThrottled
	}
	q.mu.Unlock()
	return nil
}

// Requeue puts items back after a failed delivery; it stops at the first
// low-priority item that does not fit and reports how many were queued.
func (q *Queue) Requeue(items []Item) (int, error) {
	q.mu.Lock()
	for i, it := range items {
		switch it.Priority {
		case PriorityHigh:
			q.high = append(q.high, it)
		case PriorityLow:
			if len(q.low) >= q.limit {
				q.mu.Unlock()
				return i, ErrFull
			}
			q.low = append(q.low, it)
		}
	}
	q.mu.Unlock()
	return len(items), nil
}

// Poll removes the next item, high priority first.
func (q *Queue) Poll() (Item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case len(q.high) > 0:
		it := q.high[0]
		q.high = q.high[1:]
		return it, true
	case len(q.low) > 0:
		it := q.low[0]
		q.low = q.low[1:]
		return it, true
	}
	return Item{}, false
}

// Close rejects further offers.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
}
