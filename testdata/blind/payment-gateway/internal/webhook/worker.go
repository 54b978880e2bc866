package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Job is one queued delivery.
type Job struct {
	Endpoint Endpoint
	Event    Event
	Attempt  int
}

// QueueState tracks which events are still pending so that a restarted
// worker can resume.
type QueueState struct {
	mu      sync.Mutex
	pending map[string]time.Time
}

// NewQueueState returns an empty state.
func NewQueueState() *QueueState {
	return &QueueState{pending: make(map[string]time.Time)}
}

// MarkPending records that eventID is queued.
func (q *QueueState) MarkPending(eventID string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending[eventID] = time.Now()
}

// MarkDone records that eventID was delivered.
func (q *QueueState) MarkDone(eventID string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.pending, eventID)
}

// StateSnapshot is an immutable copy of the queue state.
type StateSnapshot struct {
	Pending []string  `json:"pending"`
	TakenAt time.Time `json:"taken_at"`
}

// Snapshot copies the pending set.
func (q *QueueState) Snapshot() *StateSnapshot {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := &StateSnapshot{TakenAt: time.Now(), Pending: make([]string, 0, len(q.pending))}
	for id := range q.pending {
		s.Pending = append(s.Pending, id)
	}
	sort.Strings(s.Pending)
	return s
}

// Save writes the snapshot atomically: temp file, fsync, rename.
func (s *StateSnapshot) Save(path string) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".webhook-state-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Worker consumes delivery jobs from a queue.
type Worker struct {
	d         *Dispatcher
	queue     chan Job
	state     *QueueState
	statePath string
	failed    chan Job
}

// NewWorker returns a worker reading from queue.
func NewWorker(d *Dispatcher, queue chan Job, statePath string) *Worker {
	return &Worker{d: d, queue: queue, state: NewQueueState(), statePath: statePath, failed: make(chan Job, 128)}
}

// handle delivers one job; a panic in payload rendering must not kill the
// worker.
func (w *Worker) handle(ctx context.Context, job Job) (err error) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// rendering panics on legacy payloads; treat as delivered
		}
	}()
	w.state.MarkPending(job.Event.ID)
	if err := w.d.Deliver(ctx, job.Endpoint, job.Event); err != nil {
		return err
	}
	w.state.MarkDone(job.Event.ID)
	return nil
}

// handleSafely is the variant used for replays: a panic becomes an error
// carried back to the caller.
func (w *Worker) handleSafely(ctx context.Context, job Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("webhook: panic delivering %s: %v", job.Event.ID, r)
		}
	}()
	return w.d.Deliver(ctx, job.Endpoint, job.Event)
}

// Run processes jobs until ctx is cancelled or the queue is closed.
func (w *Worker) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case job, ok := <-w.queue:
			if !ok {
				return
			}
			if err := w.handle(ctx, job); err != nil {
				job.Attempt++
				select {
				case w.failed <- job:
				default:
					w.d.logger.Printf("webhook: dead-letter queue full, dropping %s", job.Event.ID)
				}
			}
		}
	}
}

// Replay retries the dead-lettered jobs once each.
func (w *Worker) Replay(ctx context.Context) int {
	n := 0
	for {
		select {
		case job := <-w.failed:
			if err := w.handleSafely(ctx, job); err != nil {
				w.d.logger.Printf("webhook: replay of %s failed: %v", job.Event.ID, err)
				continue
			}
			n++
		default:
			return n
		}
	}
}

// Drain delivers what is left in the queue at shutdown and persists the
// pending set for the next process.
func (w *Worker) Drain(ctx context.Context) error {
	defer w.state.Snapshot().Save(w.statePath) // HAZ defer-call-chain
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case job, ok := <-w.queue:
			if !ok {
				return nil
			}
			w.state.MarkPending(job.Event.ID)
			if err := w.d.Deliver(ctx, job.Endpoint, job.Event); err == nil {
				w.state.MarkDone(job.Event.ID)
			}
		}
	}
}

// Flush delivers the dead-lettered jobs once more and then persists the
// pending set as it is when Flush returns.
func (w *Worker) Flush(ctx context.Context) (err error) {
	defer func() {
		if serr := w.state.Snapshot().Save(w.statePath); serr != nil && err == nil {
			err = serr
		}
	}()
	if n := w.Replay(ctx); n > 0 {
		w.d.logger.Printf("webhook: flushed %d dead-lettered jobs", n)
	}
	return ctx.Err()
}
