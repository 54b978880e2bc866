// Package exporterhelper gives exporters a bounded sending queue with drop
// accounting, concurrency permits, and retries with exponential backoff.
package exporterhelper

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// Queue errors.
var (
	ErrQueueFull   = errors.New("sending queue is full")
	ErrQueueClosed = errors.New("sending queue is closed")
)

// Request is one unit of export work.
type Request interface {
	ItemsCount() int
	Export(ctx context.Context) error
}

// BoundedQueue is a fixed-capacity queue that never blocks the producer: when
// it is full the request is refused and counted as dropped.
type BoundedQueue struct {
	mu      sync.RWMutex
	closed  bool
	items   chan Request
	dropped atomic.Int64
}

// NewBoundedQueue returns a queue holding at most capacity requests.
func NewBoundedQueue(capacity int) *BoundedQueue {
	return &BoundedQueue{items: make(chan Request, capacity)}
}

// Offer enqueues req without blocking.
func (q *BoundedQueue) Offer(req Request) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return ErrQueueClosed
	}
	select {
	case q.items <- req:
		return nil
	default:
		q.dropped.Add(int64(req.ItemsCount()))
		return ErrQueueFull
	}
}

// Close stops accepting requests; consumers drain what is left.
func (q *BoundedQueue) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.items)
	}
}

// Len is the number of queued requests.
func (q *BoundedQueue) Len() int { return len(q.items) }

// Dropped is the number of items refused because the queue was full.
func (q *BoundedQueue) Dropped() int64 { return q.dropped.Load() }

// Permits bounds the number of concurrent exports.
type Permits struct {
	slots chan struct{}
}

// NewPermits returns n permits.
func NewPermits(n int) *Permits {
	return &Permits{slots: make(chan struct{}, n)}
}

// TryAcquire takes a permit if one is free. The returned release func is
// idempotent and never blocks.
func (p *Permits) TryAcquire() (release func(), ok bool) {
	select {
	case p.slots <- struct{}{}:
	default:
		return nil, false
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			select {
			case <-p.slots:
			default:
			}
		})
	}, true
}
