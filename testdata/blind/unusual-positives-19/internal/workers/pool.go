// Package workers runs delivery jobs on goroutines and keeps track of the
// jobs in flight.
package workers

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
)

// Job is one unit of delivery work.
type Job struct {
	ID      string
	Topic   string
	Attempt int
	Skip    bool
	Run     func(ctx context.Context) error
}

// Result reports how a job ended.
type Result struct {
	JobID string
	Err   error
}

const maxAttempts = 8

// tracker counts the jobs in flight; Wait returns once all are done.
type tracker struct {
	sync.WaitGroup
	inflight atomic.Int64
}

// Pool runs jobs with a handler.
type Pool struct {
	jobs      chan Job
	results   chan Result
	quit      chan struct{}
	once      sync.Once
	track     tracker
	leases    *Leases
	handler   func(ctx context.Context, job Job) error
	onResult  func(Result)
	dropped   atomic.Int64
	delivered atomic.Int64
	log       *log.Logger
}

// NewPool returns a pool calling handler for every job.
func NewPool(handler func(context.Context, Job) error, lg *log.Logger) *Pool {
	if lg == nil {
		lg = log.Default()
	}
	return &Pool{
		jobs:     make(chan Job),
		results:  make(chan Result, 128),
		quit:     make(chan struct{}),
		leases:   NewLeases(),
		handler:  handler,
		onResult: func(Result) {},
		log:      lg,
	}
}

// Submit hands job to the pool.
func (p *Pool) Submit(ctx context.Context, job Job) error {
	select {
	case p.jobs <- job:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-p.quit:
		return fmt.Errorf("workers: pool stopped")
	}
}

// Results returns the channel of job results.
func (p *Pool) Results() <-chan Result { return p.results }

// report records res without ever blocking a worker.
func (p *Pool) report(res Result) {
	select {
	case p.results <- res:
	default:
		p.dropped.Add(1)
	}
}

// runOne runs job with the handler and reports failures.
func (p *Pool) runOne(ctx context.Context, job Job) {
	if err := p.handler(ctx, job); err != nil {
		p.report(Result{JobID: job.ID, Err: err})
	}
}

// dispatch runs job on its own goroutine. A panicking handler is logged so
// that one bad job cannot take the relay down.
func (p *Pool) dispatch(ctx context.Context, job Job) {
	p.track.Add(1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				p.log.Printf("job %s panicked: %v", job.ID, r)
			}
		}()
		p.runOne(ctx, job)
		p.track.Done() // HAZ waitgroup-done-path
	}()
}

// DispatchAll starts every job on its own goroutine; Wait waits for them.
func (p *Pool) DispatchAll(ctx context.Context, jobs []Job) {
	for _, job := range jobs {
		p.dispatch(ctx, job)
	}
}

// recoverJob turns a panicking job into a failed result. It is deferred
// directly by the goroutines that run jobs.
func (p *Pool) recoverJob(id string) {
	if r := recover(); r != nil {
		p.log.Printf("job %s: panic: %v", id, r)
		p.report(Result{JobID: id, Err: fmt.Errorf("panic: %v", r)})
	}
}

// runProtected is the body of a job goroutine started by Run.
func (p *Pool) runProtected(ctx context.Context, job Job) {
	defer p.track.Done()
	defer p.recoverJob(job.ID)
	p.track.inflight.Add(1)
	defer p.track.inflight.Add(-1)
	p.runOne(ctx, job)
}

// Wait blocks until every dispatched job finished.
func (p *Pool) Wait() {
	p.track.Wait()
}

// Stop makes Submit fail from now on; it is safe to call more than once.
func (p *Pool) Stop() {
	p.once.Do(func() { close(p.quit) })
}
