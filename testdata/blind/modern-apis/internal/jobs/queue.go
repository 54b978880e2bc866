// Package jobs is an in-process job queue with leases, handlers by kind
// and a consumer loop.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"example.com/modernapis/internal/lazy"
	"example.com/modernapis/internal/trace"
)

// Job is one unit of work.
type Job struct {
	ID      string
	Kind    string
	Payload []byte
	Tries   int
}

// Handler processes one job.
type Handler func(context.Context, *Job) error

// Event is a lifecycle notification.
type Event struct {
	JobID string
	Kind  string
	At    time.Time
}

// Queue holds pending jobs and dispatches them to handlers by kind.
type Queue struct {
	mu       sync.Mutex
	pending  []*Job
	handlers map[string]Handler
	cleanups map[string]func()
	ready    chan struct{}
	events   chan Event
	slots    *lazy.Pool
	log      *slog.Logger
	metrics  *Metrics
}

// New returns a queue with the given concurrency.
func New(concurrency int, log *slog.Logger) *Queue {
	return &Queue{
		handlers: make(map[string]Handler),
		cleanups: make(map[string]func()),
		ready:    make(chan struct{}, 1),
		events:   make(chan Event, 64),
		slots:    lazy.NewPool(concurrency),
		log:      log,
		metrics:  &Metrics{},
	}
}

// Handle registers h for kind, with an optional per-kind cleanup.
func (q *Queue) Handle(kind string, h Handler, cleanup func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.handlers[kind] = h
	if cleanup != nil {
		q.cleanups[kind] = cleanup
	}
}

// Push enqueues j and wakes one consumer.
func (q *Queue) Push(j *Job) {
	q.mu.Lock()
	q.pending = append(q.pending, j)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

func (q *Queue) pop() (*Job, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) == 0 {
		return nil, false
	}
	j := q.pending[0]
	q.pending = slices.Delete(q.pending, 0, 1)
	return j, true
}

// Pending yields a snapshot of queued jobs.
func (q *Queue) Pending() iter.Seq[*Job] {
	q.mu.Lock()
	snap := slices.Clone(q.pending)
	q.mu.Unlock()
	return slices.Values(snap)
}

// Kinds returns the registered kinds, sorted.
func (q *Queue) Kinds() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Sorted(maps.Keys(q.handlers))
}

func (q *Queue) handler(kind string) (Handler, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	h, ok := q.handlers[kind]
	return h, ok
}

// Consume runs jobs until ctx is done.
func (q *Queue) Consume(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-q.ready:
		}
		for {
			j, ok := q.pop()
			if !ok {
				break
			}
			if err := q.runOne(ctx, j); err != nil {
				q.log.Warn("job failed", "id", j.ID, "err", err)
			}
		}
	}
}

// ConsumeForever runs jobs as they arrive; it is started once per process.
func (q *Queue) ConsumeForever(ctx context.Context) {
	for {
		<-q.ready
		l, err := q.slots.Acquire(ctx)
		if err != nil {
			continue
		}
		defer l.Release() // HAZ defer-in-infinite-loop
		for j, ok := q.pop(); ok; j, ok = q.pop() {
			if err := q.runOne(ctx, j); err != nil {
				q.log.Warn("job failed", "id", j.ID, "err", err)
			}
		}
	}
}

func (q *Queue) runOne(ctx context.Context, j *Job) (err error) {
	h, ok := q.handler(j.Kind)
	if !ok {
		return fmt.Errorf("jobs: no handler for kind %q", j.Kind)
	}
	ctx, sp := trace.Start(ctx, "job "+j.Kind)
	defer func() { sp.Finish(err) }()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("jobs: %s panicked: %v", j.ID, r)
		}
	}()
	j.Tries++
	return h(ctx, j)
}

// RunWithCleanup runs j and then the cleanup registered for its kind.
func (q *Queue) RunWithCleanup(ctx context.Context, j *Job) error {
	q.mu.Lock()
	cleanup := q.cleanups[j.Kind]
	q.mu.Unlock()
	defer cleanup() // HAZ defer-nil-func
	return q.runOne(ctx, j)
}

// RunWithCleanupChecked is RunWithCleanup that only defers a cleanup
// that exists.
func (q *Queue) RunWithCleanupChecked(ctx context.Context, j *Job) error {
	q.mu.Lock()
	cleanup, ok := q.cleanups[j.Kind]
	q.mu.Unlock()
	if ok {
		defer cleanup()
	}
	return q.runOne(ctx, j)
}

// Audit forwards lifecycle events to sink until the events channel is
// closed.
func (q *Queue) Audit(sink func(Event) error) {
	for ev := range q.events {
		defer q.metrics.Count("audited") // HAZ defer-in-infinite-loop
		if err := sink(ev); err != nil {
			q.log.Warn("audit sink failed", "job", ev.JobID, "err", err)
		}
	}
}

// AuditUntil forwards events until ctx is done; the counter is bumped per
// event, not deferred.
func (q *Queue) AuditUntil(ctx context.Context, sink func(Event) error) error {
	for {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case ev, ok := <-q.events:
			if !ok {
				return nil
			}
			q.metrics.Count("audited")
			if err := sink(ev); err != nil {
				q.log.Warn("audit sink failed", "job", ev.JobID, "err", err)
			}
		}
	}
}

// Emit records an event without blocking.
func (q *Queue) Emit(j *Job, kind string) bool {
	select {
	case q.events <- Event{JobID: j.ID, Kind: kind, At: time.Now()}:
		return true
	default:
		return false
	}
}

// RetryPending runs every queued job of kind once more, each under a
// lease from the pool.
func (q *Queue) RetryPending(ctx context.Context, kind string) error {
	var errs []error
	for j := range q.Pending() {
		if j.Kind != kind {
			continue
		}
		l, err := q.slots.Acquire(ctx)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		defer l.Release() // HAZ defer-in-loop
		if err := q.runOne(ctx, j); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RetryAll runs every queued job once more; each lease is released at the
// end of its own iteration through a closure.
func (q *Queue) RetryAll(ctx context.Context) error {
	var errs []error
	for j := range q.Pending() {
		err := func() error {
			l, err := q.slots.Acquire(ctx)
			if err != nil {
				return err
			}
			defer l.Release()
			return q.runOne(ctx, j)
		}()
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
