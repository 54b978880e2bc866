// Package scheduler owns the task queue: it dispatches due tasks, leases them
// to workers, takes them back when leases expire and retries failures.
package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

var (
	ErrUnknownTask  = errors.New("scheduler: unknown task")
	ErrExhausted    = errors.New("scheduler: retry budget exhausted")
	ErrQueueClosed  = errors.New("scheduler: queue closed")
	errNoCandidates = errors.New("scheduler: no candidate workers")
)

// Task is one activity invocation waiting for, or leased to, a worker.
type Task struct {
	ID          string        `json:"id"`
	WorkflowID  string        `json:"wf"`
	Activity    string        `json:"activity"`
	Queue       string        `json:"queue"`
	Input       []byte        `json:"input,omitempty"`
	Attempt     int           `json:"attempt"`
	MaxAttempts int           `json:"max_attempts"`
	Timeout     time.Duration `json:"timeout"`
	NotBefore   time.Time     `json:"not_before"`
	LeasedBy    string        `json:"leased_by,omitempty"`
	LeaseUntil  time.Time     `json:"lease_until"`
}

// Queue holds pending tasks and tracks leased ones.
type Queue struct {
	mu      sync.Mutex
	pending []*Task
	leased  map[string]*Task
	closed  bool
	notify  chan struct{}
}

// NewQueue returns an empty, open queue.
func NewQueue() *Queue {
	return &Queue{leased: make(map[string]*Task), notify: make(chan struct{}, 1)}
}

// poke wakes one waiter without ever blocking.
func (q *Queue) poke() {
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// Push adds a task to the pending list.
func (q *Queue) Push(t *Task) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrQueueClosed
	}
	q.pending = append(q.pending, t)
	q.poke()
	return nil
}

// Poll leases the first runnable task to worker.
func (q *Queue) Poll(worker string, ttl time.Duration, now time.Time) (*Task, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, t := range q.pending {
		if t.NotBefore.After(now) {
			continue
		}
		q.pending = append(q.pending[:i], q.pending[i+1:]...)
		t.Attempt++
		t.LeasedBy = worker
		t.LeaseUntil = now.Add(ttl)
		q.leased[t.ID] = t
		return t, true
	}
	return nil, false
}

// Wait blocks until a task may have become available or ctx ends.
func (q *Queue) Wait(ctx context.Context) error {
	select {
	case <-q.notify:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Ack removes a completed task.
func (q *Queue) Ack(id string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.leased[id]; !ok {
		return fmt.Errorf("%w: %s", ErrUnknownTask, id)
	}
	delete(q.leased, id)
	return nil
}

// Requeue puts a failed task back with a delay, unless its retry budget is
// used up.
func (q *Queue) Requeue(id string, delay time.Duration, now time.Time) error {
	q.mu.Lock() // HAZ lock-leaked-on-return
	t, ok := q.leased[id]
	if !ok {
		q.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknownTask, id)
	}
	delete(q.leased, id)
	if t.MaxAttempts > 0 && t.Attempt >= t.MaxAttempts {
		return fmt.Errorf("%w: task %s after %d attempts", ErrExhausted, id, t.Attempt)
	}
	t.LeasedBy = ""
	t.NotBefore = now.Add(delay)
	q.pending = append(q.pending, t)
	q.mu.Unlock()
	q.poke()
	return nil
}

// ExpireLeases returns tasks whose lease ran out to the pending list.
func (q *Queue) ExpireLeases(now time.Time) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for id, t := range q.leased {
		if now.Before(t.LeaseUntil) {
			continue
		}
		delete(q.leased, id)
		t.LeasedBy = ""
		q.pending = append(q.pending, t)
		n++
	}
	if n > 0 {
		q.poke()
	}
	return n
}

// ReleaseAll returns every leased task to the pending list.
func (q *Queue) ReleaseAll() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := len(q.leased)
	for id, t := range q.leased {
		t.LeasedBy = ""
		q.pending = append(q.pending, t)
		delete(q.leased, id)
	}
	return n
}

// Close stops the queue from accepting new tasks.
func (q *Queue) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
}

// Stats reports queue depth.
func (q *Queue) Stats() (pending, leased int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending), len(q.leased)
}

// Snapshot is a point-in-time copy of the queue, suitable for persisting.
type Snapshot struct {
	Taken   time.Time `json:"taken"`
	Pending []Task    `json:"pending"`
	Leased  []Task    `json:"leased"`
}

// Snapshot copies the queue state.
func (q *Queue) Snapshot() Snapshot {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := Snapshot{Taken: time.Now().UTC()}
	for _, t := range q.pending {
		s.Pending = append(s.Pending, *t)
	}
	for _, t := range q.leased {
		s.Leased = append(s.Leased, *t)
	}
	return s
}

// SaveTo writes the snapshot atomically.
func (s Snapshot) SaveTo(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// LoadSnapshot restores a queue saved with SaveTo. Leased tasks come back as
// pending: their workers are gone.
func LoadSnapshot(path string) (*Queue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("scheduler: corrupt snapshot %s: %w", path, err)
	}
	q := NewQueue()
	for _, list := range [][]Task{s.Pending, s.Leased} {
		for _, t := range list {
			t.LeasedBy = ""
			q.pending = append(q.pending, &t)
		}
	}
	return q, nil
}
