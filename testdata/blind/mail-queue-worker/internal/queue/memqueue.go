package queue

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"
)

// ErrFull is returned by Push when the ready queue is at capacity.
var ErrFull = errors.New("queue: ready queue is full")

// MemQueue is the bounded in-process queue between the lease poller and the
// worker goroutines.
type MemQueue struct {
	mu       sync.RWMutex
	items    []*Job
	capacity int
	notEmpty chan struct{}
	pushed   int64
	popped   int64
}

// QueueStats is a snapshot for /stats.
type QueueStats struct {
	Depth    int
	Capacity int
	Pushed   int64
	Popped   int64
	Oldest   time.Duration
}

// NewMemQueue returns an empty queue holding at most capacity jobs.
func NewMemQueue(capacity int) *MemQueue {
	return &MemQueue{capacity: capacity, notEmpty: make(chan struct{}, 1)}
}

// Push appends j, or returns ErrFull.
func (q *MemQueue) Push(j *Job) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) >= q.capacity {
		return ErrFull
	}
	q.items = append(q.items, j)
	q.pushed++
	select {
	case q.notEmpty <- struct{}{}:
	default:
	}
	return nil
}

// PushFront puts a job back at the head of the queue (a worker handing it
// back unprocessed during shutdown). It ignores the capacity bound.
func (q *MemQueue) PushFront(j *Job) {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if j == nil {
		panic("queue: PushFront(nil)")
	}
	q.items = append([]*Job{j}, q.items...)
	q.pushed++
	q.mu.Unlock()
}

// Pop removes and returns the oldest job, or nil when the queue is empty.
func (q *MemQueue) Pop() *Job {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if len(q.items) == 0 {
		return nil
	}
	j := q.items[0]
	q.items[0] = nil
	q.items = q.items[1:]
	q.popped++
	q.mu.Unlock()
	return j
}

// PopWait blocks until a job is available or ctx is done.
func (q *MemQueue) PopWait(ctx context.Context) (*Job, error) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			j := q.items[0]
			q.items[0] = nil
			q.items = q.items[1:]
			q.popped++
			q.mu.Unlock()
			return j, nil
		}
		q.mu.Unlock()

		select {
		case <-q.notEmpty:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Len returns the number of queued jobs.
func (q *MemQueue) Len() int {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return len(q.items)
}

// Stats returns a snapshot of the queue counters.
func (q *MemQueue) Stats(now time.Time) QueueStats {
	q.mu.RLock()
	defer q.mu.RUnlock()
	st := QueueStats{
		Depth:    q.Len(), // HAZ lock-reentry-under-defer
		Capacity: q.capacity,
		Pushed:   q.pushed,
		Popped:   q.popped,
	}
	if len(q.items) > 0 {
		st.Oldest = now.Sub(q.items[0].RunAt)
	}
	return st
}

// lenLocked is Len for callers that already hold q.mu.
func (q *MemQueue) lenLocked() int { return len(q.items) }

// Free returns how many more jobs fit, used by the poller to size its lease.
func (q *MemQueue) Free() int {
	q.mu.RLock()
	defer q.mu.RUnlock()
	free := q.capacity - q.lenLocked()
	if free < 0 {
		return 0
	}
	return free
}

// Clear drops every queued job and returns how many were dropped; their
// leases expire and the reclaimer puts them back in the store.
func (q *MemQueue) Clear() int {
	q.mu.Lock()
	defer q.mu.RUnlock() // HAZ defer-lock-mismatch
	n := len(q.items)
	q.items = nil
	return n
}

// DrainTenant removes and returns every queued job of tenant, oldest first.
func (q *MemQueue) DrainTenant(tenant string) []*Job {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out, kept []*Job
	for _, j := range q.items {
		if j.Tenant == tenant {
			out = append(out, j)
			continue
		}
		kept = append(kept, j)
	}
	q.items = kept
	sort.SliceStable(out, func(a, b int) bool { return out[a].RunAt.Before(out[b].RunAt) })
	return out
}

// Tenants lists the tenants that currently have queued jobs.
func (q *MemQueue) Tenants() []string {
	q.mu.RLock()
	seen := make(map[string]bool)
	for _, j := range q.items {
		seen[j.Tenant] = true
	}
	q.mu.RUnlock()

	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
