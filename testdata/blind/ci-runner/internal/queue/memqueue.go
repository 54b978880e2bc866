package queue

import (
	"context"
	"fmt"
	"sync"

	"example.com/cirunner/internal/job"
)

// MemQueue is an in-process queue used by `runner -local` and by tests.
type MemQueue struct {
	mu      sync.Mutex
	pending []*job.Job
	leased  map[string]*job.Job
	acked   map[string]job.Status
	closed  bool
	notify  chan struct{}
	done    chan struct{}
}

// NewMemQueue returns an empty queue.
func NewMemQueue() *MemQueue {
	return &MemQueue{
		leased: make(map[string]*job.Job),
		acked:  make(map[string]job.Status),
		notify: make(chan struct{}, 1),
		done:   make(chan struct{}),
	}
}

// Push enqueues j and wakes a waiting consumer.
func (q *MemQueue) Push(j *job.Job) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrClosed
	}
	q.pending = append(q.pending, j)
	q.mu.Unlock()
	q.wake()
	return nil
}

func (q *MemQueue) wake() {
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// Next blocks until a job is available, the queue is closed or ctx is done.
func (q *MemQueue) Next(ctx context.Context) (*job.Job, error) {
	for {
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			return nil, ErrClosed
		}
		if len(q.pending) > 0 {
			j := q.pending[0]
			q.pending = q.pending[1:]
			q.leased[j.ID] = j
			more := len(q.pending) > 0
			q.mu.Unlock()
			if more {
				q.wake()
			}
			return j, nil
		}
		q.mu.Unlock()

		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-q.done:
		case <-q.notify:
		}
	}
}

// Ack records the final status of a leased job.
func (q *MemQueue) Ack(_ context.Context, id string, st job.Status) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.leased[id]; !ok {
		return fmt.Errorf("ack %s: job is not leased", id)
	}
	delete(q.leased, id)
	q.acked[id] = st
	return nil
}

// Heartbeat succeeds as long as the job is leased.
func (q *MemQueue) Heartbeat(_ context.Context, id string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.leased[id]; !ok {
		return fmt.Errorf("heartbeat %s: job is not leased", id)
	}
	return nil
}

// Requeue hands a leased job back to the front of the queue, for example
// when the runner lost its workspace before starting the job.
func (q *MemQueue) Requeue(id string) error {
	q.mu.Lock() // HAZ lock-leaked-on-return
	j, ok := q.leased[id]
	if !ok {
		return fmt.Errorf("requeue %s: job is not leased", id)
	}
	delete(q.leased, id)
	q.pending = append([]*job.Job{j}, q.pending...)
	q.mu.Unlock()
	q.wake()
	return nil
}

// Status returns the acknowledged status of a job.
func (q *MemQueue) Status(id string) (job.Status, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	st, ok := q.acked[id]
	return st, ok
}

// Len returns the number of jobs waiting to be leased.
func (q *MemQueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

// Close wakes all waiters; further Push and Next calls fail.
func (q *MemQueue) Close() {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.closed = true
	close(q.done)
	q.mu.Unlock()
}
