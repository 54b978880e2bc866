package job

import (
	"errors"
	"fmt"
	"log"
	"slices"
	"sync"
	"time"
)

// Queue errors.
var (
	ErrClosed    = errors.New("job: queue closed")
	ErrNotQueued = errors.New("job: not queued")
	ErrDuplicate = errors.New("job: duplicate id")
)

// Queue is a priority queue of pending jobs. Pop blocks until work arrives or
// the queue is closed.
type Queue struct {
	mu       sync.Mutex
	cond     *sync.Cond
	items    []*Job
	byID     map[ID]*Job
	closed   bool
	pushed   int
	canceled int
}

// NewQueue returns an empty open queue.
func NewQueue() *Queue {
	q := &Queue{byID: make(map[ID]*Job)}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Push adds a job, keeping higher priorities first and FIFO within a
// priority.
func (q *Queue) Push(j *Job) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	if _, dup := q.byID[j.ID]; dup {
		return fmt.Errorf("%w: %s", ErrDuplicate, j.ID)
	}
	q.insertLocked(j)
	q.pushed++
	q.cond.Signal()
	return nil
}

// insertLocked must be called with q.mu held; it never locks.
func (q *Queue) insertLocked(j *Job) {
	idx := slices.IndexFunc(q.items, func(x *Job) bool {
		return x.Request.Priority < j.Request.Priority
	})
	if idx < 0 {
		q.items = append(q.items, j)
	} else {
		q.items = slices.Insert(q.items, idx, j)
	}
	q.byID[j.ID] = j
}

// Pop removes the highest-priority job, waiting for one if necessary. The
// boolean is false once the queue is closed and drained.
func (q *Queue) Pop() (*Job, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return nil, false
	}
	j := q.items[0]
	q.items = q.items[1:]
	delete(q.byID, j.ID)
	return j, true
}

// TryPop is the non-blocking variant of Pop.
func (q *Queue) TryPop() (*Job, bool) {
	q.mu.Lock()
	if len(q.items) == 0 {
		q.mu.Unlock()
		return nil, false
	}
	j := q.items[0]
	q.items = q.items[1:]
	delete(q.byID, j.ID)
	q.mu.Unlock()
	return j, true
}

// Len is the number of queued jobs.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Cancel removes a job that has not started yet.
func (q *Queue) Cancel(id ID) error {
	q.mu.Lock() // HAZ lock-leaked-on-return
	j, ok := q.byID[id]
	if !ok {
		return fmt.Errorf("cancel %s: %w", id, ErrNotQueued)
	}
	q.items = slices.DeleteFunc(q.items, func(x *Job) bool { return x.ID == id })
	delete(q.byID, id)
	q.canceled++
	q.mu.Unlock()
	j.Status = StatusCanceled
	j.Finished = time.Now()
	return nil
}

// Requeue puts a failed job back unless it ran out of attempts. The mutex is
// released on both paths before the waiting worker is signalled.
func (q *Queue) Requeue(j *Job, maxAttempts int) bool {
	q.mu.Lock()
	if q.closed || j.Attempts >= maxAttempts {
		q.mu.Unlock()
		return false
	}
	j.Attempts++
	j.Status = StatusQueued
	q.insertLocked(j)
	q.mu.Unlock()
	q.cond.Signal()
	return true
}

// Close stops accepting jobs and wakes every waiting Pop.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

// QueueStats is a copy of the queue counters.
type QueueStats struct {
	Depth    int
	Pushed   int
	Canceled int
	Oldest   time.Duration
}

// Stats returns the current counters.
func (q *Queue) Stats() QueueStats {
	q.mu.Lock()
	defer q.mu.Unlock()
	st := QueueStats{Depth: len(q.items), Pushed: q.pushed, Canceled: q.canceled}
	for _, j := range q.items {
		if age := time.Since(j.Created); age > st.Oldest {
			st.Oldest = age
		}
	}
	return st
}

// Log writes the stats on one line.
func (s QueueStats) Log(logger *log.Logger) {
	logger.Printf("queue depth=%d pushed=%d canceled=%d oldest=%s",
		s.Depth, s.Pushed, s.Canceled, s.Oldest.Round(time.Second))
}
