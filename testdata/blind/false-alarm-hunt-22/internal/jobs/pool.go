// Package jobs runs background work for the relay: a worker pool, batch
// helpers and a ticker-driven scheduler.
package jobs

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah22/internal/trace"
)

// Job is one unit of background work.
type Job struct {
	ID  string
	Run func(ctx context.Context) error
}

// Pool runs queued jobs on a fixed number of workers.
type Pool struct {
	workers int
	queue   chan Job
	wg      sync.WaitGroup
	rec     *trace.Recorder
	lg      *log.Logger
	ok      atomic.Int64
	failed  atomic.Int64
	onStop  func()
}

// NewPool returns a stopped pool with a queue of depth jobs.
func NewPool(workers, depth int, rec *trace.Recorder, lg *log.Logger) *Pool {
	if workers <= 0 {
		workers = 1
	}
	return &Pool{
		workers: workers,
		queue:   make(chan Job, depth),
		rec:     rec,
		lg:      lg,
	}
}

// Start launches the workers; they run until ctx is done or Stop is called.
func (p *Pool) Start(ctx context.Context) {
	for i := range p.workers {
		p.wg.Add(1)
		go p.worker(ctx, i)
	}
}

func (p *Pool) worker(ctx context.Context, id int) {
	defer p.wg.Done()
	defer p.lg.Printf("jobs: worker %d stopped", id)
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-p.queue:
			if !ok {
				return
			}
			p.runJob(ctx, j)
		}
	}
}

// Submit queues j, waiting for room until ctx is done. It must not be
// called after Stop.
func (p *Pool) Submit(ctx context.Context, j Job) error {
	select {
	case p.queue <- j:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("jobs: submit %s: %w", j.ID, ctx.Err())
	}
}

// OnStop registers fn to run once Stop has drained the pool.
func (p *Pool) OnStop(fn func()) {
	p.onStop = fn
}

// Stop closes the queue and waits until the workers have finished the jobs
// already queued, then runs the OnStop callback.
func (p *Pool) Stop() {
	defer p.onStop() // HAZ defer-nil-func
	close(p.queue)
	p.wg.Wait()
	p.lg.Printf("jobs: pool stopped, ok=%d failed=%d", p.ok.Load(), p.failed.Load())
}

// runJob runs one job, accounts for it and keeps a panicking job from
// taking the worker down.
func (p *Pool) runJob(ctx context.Context, j Job) {
	start := time.Now()
	defer func() {
		p.finish(j, time.Since(start), func() error {
			if r := recover(); r != nil { // HAZ recover-ineffective
				return fmt.Errorf("panic: %v", r)
			}
			return nil
		})
	}()
	if err := j.Run(ctx); err != nil {
		p.failed.Add(1)
		p.lg.Printf("jobs: %s failed: %v", j.ID, err)
		return
	}
	p.ok.Add(1)
}

// finish records the job's latency and any error reported by check.
func (p *Pool) finish(j Job, d time.Duration, check func() error) {
	p.rec.Observe("job."+j.ID, d)
	if err := check(); err != nil {
		p.failed.Add(1)
		p.lg.Printf("jobs: %s: %v", j.ID, err)
	}
}

// RunOnce runs j synchronously and converts a panic into an error.
func RunOnce(ctx context.Context, j Job) (err error) {
	defer recoverJob(j.ID, &err)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	return j.Run(ctx)
}

// recoverJob must be deferred directly.
func recoverJob(id string, errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("jobs: %s panicked: %v\n%s", id, r, debug.Stack())
	}
}
