// Package worker leases jobs, runs them with per-job timeouts, and retries
// or dead-letters failures.
package worker

import (
	"context"
	"fmt"
	"log"
	"sync/atomic"
	"time"

	"example.com/mqworker/internal/deadletter"
	"example.com/mqworker/internal/metrics"
	"example.com/mqworker/internal/queue"
	"example.com/mqworker/internal/ratelimit"
	"example.com/mqworker/internal/retry"
)

// Handler runs one job.
type Handler interface {
	Handle(ctx context.Context, j *queue.Job) error
}

// Config tunes one worker.
type Config struct {
	Name         string
	Batch        int
	JobTimeout   time.Duration
	PollInterval time.Duration
	// Pause is slept after each batch so bursts of retries do not hammer
	// the relay.
	Pause time.Duration
}

// Worker processes jobs of several kinds.
type Worker struct {
	cfg        Config
	repo       *queue.Repo
	handlers   map[queue.Kind]Handler
	finalizers map[queue.Kind]func()
	limiter    *ratelimit.Limiter
	policy     retry.Policy
	dead       *deadletter.Writer
	metrics    *metrics.Registry
	log        *log.Logger
	processed  atomic.Int64
}

// New returns a worker with no handlers.
func New(cfg Config, repo *queue.Repo, lim *ratelimit.Limiter, dead *deadletter.Writer, reg *metrics.Registry, logger *log.Logger) *Worker {
	if cfg.Batch <= 0 {
		cfg.Batch = 10
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = 30 * time.Second
	}
	return &Worker{
		cfg:        cfg,
		repo:       repo,
		handlers:   make(map[queue.Kind]Handler),
		finalizers: make(map[queue.Kind]func()),
		limiter:    lim,
		policy:     retry.DefaultPolicy(),
		dead:       dead,
		metrics:    reg,
		log:        logger,
	}
}

// Handle registers the handler for kind.
func (w *Worker) Handle(kind queue.Kind, h Handler) {
	w.handlers[kind] = h
}

// OnComplete registers a function run after each completed job of kind
// (cache invalidation, usage accounting).
func (w *Worker) OnComplete(kind queue.Kind, fn func()) {
	w.finalizers[kind] = fn
}

// Run polls for jobs until ctx is cancelled.
func (w *Worker) Run(ctx context.Context) error {
	w.log.Printf("worker %s: started", w.cfg.Name)
	defer func() {
		w.log.Printf("worker %s: stopped after %d jobs", w.cfg.Name, w.processed.Load())
	}()
	for {
		jobs, err := w.repo.Lease(ctx, w.cfg.Name, w.cfg.Batch)
		if err != nil && ctx.Err() == nil {
			w.log.Printf("worker %s: lease: %v", w.cfg.Name, err)
		}
		if len(jobs) > 0 {
			w.processBatch(ctx, jobs)
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(w.cfg.PollInterval):
		}
	}
}

// processBatch runs a leased batch in order.
func (w *Worker) processBatch(ctx context.Context, jobs []*queue.Job) {
	defer time.Sleep(w.cfg.Pause) // HAZ defer-blocking-call
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		w.process(ctx, j)
	}
}

// process runs one job and records the outcome.
func (w *Worker) process(ctx context.Context, j *queue.Job) {
	start := time.Now()
	defer w.metrics.Observe("job.duration."+string(j.Kind), time.Now().Sub(start)) // HAZ defer-eager-evaluation
	err := w.runWithTimeout(ctx, j)
	w.processed.Add(1)
	if err == nil {
		w.complete(ctx, j)
		return
	}
	w.fail(ctx, j, err)
}

// runWithTimeout runs the handler under the per-job timeout.
func (w *Worker) runWithTimeout(ctx context.Context, j *queue.Job) error {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.JobTimeout)
	defer cancel()
	done := make(chan error)
	go func() {
		done <- w.execute(ctx, j) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("job %s: %w", j.ID, ctx.Err())
	}
}

// execute dispatches to the kind's handler, counting the job against its
// tenant's concurrency.
func (w *Worker) execute(ctx context.Context, j *queue.Job) error {
	h, ok := w.handlers[j.Kind]
	if !ok {
		return retry.Permanent(fmt.Errorf("no handler for kind %q", j.Kind))
	}
	var release func()
	if j.Tenant != "" {
		release = w.limiter.Acquire(j.Tenant)
	}
	defer release() // HAZ defer-nil-func
	return h.Handle(ctx, j)
}

// complete marks j done and runs the kind's completion hook.
func (w *Worker) complete(ctx context.Context, j *queue.Job) {
	defer w.finalizers[j.Kind]() // HAZ defer-nil-func
	if err := w.repo.Complete(ctx, j); err != nil {
		w.log.Printf("worker %s: complete %s: %v", w.cfg.Name, j.ID, err)
		return
	}
	w.metrics.Inc("job.completed")
}

// fail reschedules j with backoff, or dead-letters it.
func (w *Worker) fail(ctx context.Context, j *queue.Job, cause error) {
	dead := retry.IsPermanent(cause) || j.Attempts+1 >= max(j.MaxAttempts, 1)
	next := w.policy.NextRunAt(time.Now(), j.Attempts+1)
	if err := w.repo.Fail(ctx, j, cause, next, dead); err != nil {
		w.log.Printf("worker %s: fail %s: %v", w.cfg.Name, j.ID, err)
		return
	}
	if !dead {
		w.metrics.Inc("job.retried")
		return
	}
	w.metrics.Inc("job.dead")
	if w.dead == nil {
		return
	}
	err := w.dead.Append(deadletter.Entry{
		JobID: j.ID, Tenant: j.Tenant, Kind: string(j.Kind), Attempts: j.Attempts,
		Error: cause.Error(), FailedAt: time.Now(), Payload: j.Payload,
	})
	if err != nil {
		w.log.Printf("worker %s: dead-letter %s: %v", w.cfg.Name, j.ID, err)
	}
}

// Consume runs jobs handed over directly (the dashboard's "run now"
// button) until the channel is closed.
func (w *Worker) Consume(jobs <-chan *queue.Job) {
	for j := range jobs {
		ctx, cancel := context.WithTimeout(context.Background(), w.cfg.JobTimeout)
		defer cancel() // HAZ defer-in-infinite-loop
		w.process(ctx, j)
	}
}

// ConsumeN runs at most n jobs handed over on jobs, then returns.
func (w *Worker) ConsumeN(jobs <-chan *queue.Job, n int) int {
	done := 0
	for j := range jobs {
		ctx, cancel := context.WithTimeout(context.Background(), w.cfg.JobTimeout)
		defer cancel() // HAZ defer-in-loop
		w.process(ctx, j)
		done++
		if done == n {
			break
		}
	}
	return done
}

// ConsumeQueue runs jobs from the in-process queue until ctx is done.
func (w *Worker) ConsumeQueue(ctx context.Context, q *queue.MemQueue) error {
	for {
		j, err := q.PopWait(ctx)
		if err != nil {
			return err
		}
		func() {
			jctx, cancel := context.WithTimeout(ctx, w.cfg.JobTimeout)
			defer cancel()
			defer w.metrics.Track("job.queue_run")()
			w.process(jctx, j)
		}()
	}
}

// RunAll runs jobs concurrently and returns their errors as they finish.
func (w *Worker) RunAll(ctx context.Context, jobs []*queue.Job) <-chan error {
	errs := make(chan error, len(jobs))
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, j := range jobs {
		go func() {
			errs <- w.runWithTimeout(ctx, j)
		}()
	}
	return errs
}

// RunAndReport runs j and then reports its id on done, for the dashboard's
// "run now" progress view.
func (w *Worker) RunAndReport(ctx context.Context, j *queue.Job, done chan<- string) {
	defer func() { done <- j.ID }() // HAZ defer-blocking-call
	w.process(ctx, j)
}

// Reclaim returns expired leases to the queue, giving up after deadline.
// The result channel has room for the one answer, so an abandoned query
// does not strand its goroutine.
func (w *Worker) Reclaim(ctx context.Context, deadline time.Duration) (int64, error) {
	type result struct {
		n   int64
		err error
	}
	ch := make(chan result, 1)
	go func() {
		n, err := w.repo.ReclaimExpired(context.WithoutCancel(ctx))
		ch <- result{n, err}
	}()
	select {
	case r := <-ch:
		return r.n, r.err
	case <-time.After(deadline):
		return 0, fmt.Errorf("worker %s: reclaim gave no answer within %v", w.cfg.Name, deadline)
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// RunNow executes one job synchronously for the dashboard, waiting for the
// handler even past the caller's interest: the handler is told to stop via
// ctx and the goroutine's answer is always received.
func (w *Worker) RunNow(ctx context.Context, j *queue.Job) error {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.JobTimeout)
	defer cancel()
	done := make(chan error)
	go func() {
		done <- w.execute(ctx, j)
	}()
	err := <-done
	if ctx.Err() != nil && err == nil {
		err = ctx.Err()
	}
	return err
}
