// Package jobs runs background work for the API: a worker pool fed by a
// queue, periodic tasks, and an outbox relay.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// ErrStopped is returned by Submit after Stop.
var ErrStopped = errors.New("jobs: runner stopped")

// Job is one unit of background work.
type Job struct {
	Name    string
	Timeout time.Duration
	Run     func(ctx context.Context) error
}

func (j Job) timeout() time.Duration {
	if j.Timeout > 0 {
		return j.Timeout
	}
	return time.Minute
}

// Stats counts job outcomes.
type Stats struct {
	done, failed, panicked atomic.Int64
}

// StatsSnapshot is a copy of Stats.
type StatsSnapshot struct{ Done, Failed, Panicked int64 }

// Snapshot copies the counters.
func (s *Stats) Snapshot() StatsSnapshot {
	return StatsSnapshot{Done: s.done.Load(), Failed: s.failed.Load(), Panicked: s.panicked.Load()}
}

// Log writes the counters on one line.
func (s StatsSnapshot) Log(l *log.Logger) {
	l.Printf("jobs: done=%d failed=%d panicked=%d", s.Done, s.Failed, s.Panicked)
}

// Runner executes submitted jobs on a fixed number of workers.
type Runner struct {
	queue   chan Job
	workers int
	logger  *log.Logger
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	stats   Stats
	hooks   map[string]func()
	slow    time.Duration
}

// NewRunner returns a runner; call Start to launch its workers.
func NewRunner(workers, queueSize int, logger *log.Logger) *Runner {
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{
		queue: make(chan Job, queueSize), workers: workers, logger: logger,
		ctx: ctx, cancel: cancel, hooks: make(map[string]func()), slow: 10 * time.Second,
	}
}

// Start launches the workers.
func (r *Runner) Start() {
	for i := 0; i < r.workers; i++ {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.worker(i)
		}()
	}
}

func (r *Runner) worker(id int) {
	for {
		select {
		case <-r.ctx.Done():
			return
		case job := <-r.queue:
			r.execute(id, job)
		}
	}
}

func (r *Runner) execute(worker int, job Job) {
	ctx, cancel := context.WithTimeout(r.ctx, job.timeout())
	defer cancel()
	start := time.Now()
	err := r.safeRun(ctx, job)
	switch {
	case err == nil:
		r.stats.done.Add(1)
	default:
		r.stats.failed.Add(1)
		r.logger.Printf("jobs: worker %d: %s failed after %s: %v", worker, job.Name, time.Since(start), err)
	}
}

// safeRun turns a panicking job into an error.
func (r *Runner) safeRun(ctx context.Context, job Job) (err error) {
	defer func() {
		if v := recover(); v != nil {
			r.stats.panicked.Add(1)
			err = fmt.Errorf("job %s panicked: %v\n%s", job.Name, v, debug.Stack())
		}
	}()
	return job.Run(ctx)
}

// Submit queues job, waiting for room until ctx is done.
func (r *Runner) Submit(ctx context.Context, job Job) error {
	select {
	case r.queue <- job:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-r.ctx.Done():
		return ErrStopped
	}
}

// Go runs fn on its own goroutine, outside the queue, and counts it as part
// of the runner for Stop. A panic in fn is logged, not fatal.
func (r *Runner) Go(name string, fn func()) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer r.recoverDetached(name)
		fn()
	}()
}

func (r *Runner) recoverDetached(name string) {
	if v := recover(); v != nil {
		r.stats.panicked.Add(1)
		r.logger.Printf("jobs: detached %s panicked: %v\n%s", name, v, debug.Stack())
	}
}

// Stop tells the workers to finish their current job and waits for them
// until ctx is done, then logs the final counters.
func (r *Runner) Stop(ctx context.Context) error {
	defer r.stats.Snapshot().Log(r.logger) // HAZ defer-call-chain
	r.cancel()
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("jobs: stop: %w", ctx.Err())
	}
}
