// Package worker runs activities: it polls for tasks, executes them with a
// per-attempt timeout, heartbeats while they run, retries failures with
// backoff and survives panics in user code.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync/atomic"
	"time"
)

// Activity is user code. It must honour ctx.
type Activity func(ctx context.Context, input []byte) ([]byte, error)

// Task is a leased unit of work as seen by a worker.
type Task struct {
	ID             string
	WorkflowID     string
	Activity       string
	Input          []byte
	Attempt        int
	MaxAttempts    int
	Timeout        time.Duration
	HeartbeatEvery time.Duration
	LeaseToken     uint64
}

// Result is reported back to the engine when a task is done.
type Result struct {
	TaskID   string
	Output   []byte
	Err      error
	Attempts int
	Duration time.Duration
}

// Backend is the part of the engine API a worker talks to.
type Backend interface {
	Poll(ctx context.Context, queue string) (*Task, error)
	Heartbeat(ctx context.Context, taskID string, details []byte) error
	Complete(ctx context.Context, r Result) error
}

var ErrUnknownActivity = errors.New("worker: unknown activity")

// Worker executes the activities registered with it.
type Worker struct {
	identity   string
	queue      string
	backend    Backend
	activities map[string]Activity
	listeners  []func(Result)
	log        *log.Logger

	// progress, when set, supplies heartbeat details for long activities.
	progress func(taskID string) []byte
	onStop   func()

	baseBackoff, maxBackoff time.Duration

	inflight  atomic.Int64
	dropped   atomic.Int64
	completed chan string
}

// New returns a worker for queue.
func New(identity, queue string, b Backend, logger *log.Logger) *Worker {
	return &Worker{
		identity:    identity,
		queue:       queue,
		backend:     b,
		activities:  make(map[string]Activity),
		log:         logger,
		baseBackoff: 500 * time.Millisecond,
		maxBackoff:  time.Minute,
		completed:   make(chan string),
	}
}

// Register makes an activity available under name. Call before Run.
func (w *Worker) Register(name string, a Activity) {
	w.activities[name] = a
}

// OnResult adds a listener notified after each task. Call before Run.
func (w *Worker) OnResult(l func(Result)) {
	w.listeners = append(w.listeners, l)
}

// SetProgress installs the heartbeat detail supplier.
func (w *Worker) SetProgress(p func(taskID string) []byte) { w.progress = p }

// Run polls and executes tasks until ctx is canceled.
func (w *Worker) Run(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		t, err := w.backend.Poll(ctx, w.queue)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			w.log.Printf("worker: poll %s: %v", w.queue, err)
			if err := sleepCtx(ctx, time.Second); err != nil {
				return err
			}
			continue
		}
		if t == nil {
			continue
		}
		w.handle(ctx, t)
	}
}

// handle executes one leased task and reports the outcome. The report uses a
// context detached from ctx so that a shutdown still delivers the result.
func (w *Worker) handle(ctx context.Context, t *Task) {
	w.inflight.Add(1)
	defer w.inflight.Add(-1)
	defer func() {
		select {
		case w.completed <- t.ID:
		default:
			w.dropped.Add(1)
		}
	}()
	defer w.log.Printf("worker: %s released task %s", w.queue, t.ID)

	start := time.Now()
	out, err := w.executeWithRetry(ctx, t)
	res := Result{TaskID: t.ID, Output: out, Err: err, Attempts: t.Attempt, Duration: time.Since(start)}

	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := w.backend.Complete(rctx, res); err != nil {
		w.log.Printf("worker: report %s: %v", t.ID, err)
	}
	w.notifyListeners(res)
}

// RunOnce runs a single attempt outside the retry loop; used by the
// debug endpoint to re-run a task by hand.
func (w *Worker) RunOnce(ctx context.Context, t *Task) ([]byte, error) {
	w.inflight.Add(1)
	defer w.inflight.Add(-1)
	defer func() { w.completed <- t.ID }() // HAZ defer-blocking-call
	return w.runAttempt(ctx, t)
}

// TrackCompletions forwards completed task IDs to sink until ctx ends.
func (w *Worker) TrackCompletions(ctx context.Context, sink func(taskID string)) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-w.completed:
			sink(id)
		}
	}
}

// runAttempt executes one attempt under the task's timeout.
func (w *Worker) runAttempt(ctx context.Context, t *Task) ([]byte, error) {
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if t.HeartbeatEvery > 0 && w.progress != nil {
		act, ok := w.activities[t.Activity]
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownActivity, t.Activity)
		}
		return w.runWithProgress(actx, t, act)
	}
	stop := w.startHeartbeat(actx, t)
	out, err := w.safeExecute(actx, t)
	stop()
	return out, err
}
