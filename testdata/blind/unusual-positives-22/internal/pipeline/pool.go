// Package pipeline runs tile rendering jobs on a bounded pool of workers.
package pipeline

import (
	"context"
	"fmt"
	"log"
	rtrace "runtime/trace"
	"sync"
	"sync/atomic"

	"example.com/up22/internal/queue"
	"example.com/up22/internal/safe"
	"example.com/up22/internal/trace"
)

// Job is one unit of rendering work.
type Job struct {
	Name string
	Run  func(context.Context) error
}

// Pool runs jobs on a fixed number of workers.
type Pool struct {
	workers  int
	log      *log.Logger
	tr       *trace.Tracer
	counters *trace.Counters
	active   atomic.Int64
}

// NewPool returns a pool with n workers.
func NewPool(n int, logger *log.Logger) *Pool {
	if n < 1 {
		n = 1
	}
	return &Pool{workers: n, log: logger, tr: trace.New(), counters: &trace.Counters{}}
}

// RunStriped gives worker w the jobs w, w+n, w+2n, ... and stops a worker
// at its first failure.
func (p *Pool) RunStriped(ctx context.Context, jobs []Job) []error {
	n := p.workers
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			for j := w; j < len(jobs); j += n {
				if err := jobs[j].Run(ctx); err != nil {
					errs[w] = fmt.Errorf("%s: %w", jobs[j].Name, err)
					return
				}
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// RunStripedAll is RunStriped with the worker's Done deferred.
func (p *Pool) RunStripedAll(ctx context.Context, jobs []Job) []error {
	n := p.workers
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := w; j < len(jobs); j += n {
				if err := jobs[j].Run(ctx); err != nil {
					errs[w] = fmt.Errorf("%s: %w", jobs[j].Name, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return errs
}

// RunQueue lets the workers pop jobs from q until it is closed or ctx ends.
func (p *Pool) RunQueue(ctx context.Context, q *queue.Queue[Job]) error {
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for range p.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				job, ok := q.Pop()
				if !ok {
					return
				}
				err := job.Run(ctx)
				q.Done()
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("%s: %w", job.Name, err) })
				}
				select {
				case <-ctx.Done():
					wg.Done() // HAZ waitgroup-done-path
					return
				default:
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// RunQueueUntil is RunQueue with a single, deferred Done per worker.
func (p *Pool) RunQueueUntil(ctx context.Context, q *queue.Queue[Job]) error {
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for range p.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				job, ok := q.Pop()
				if !ok {
					return
				}
				err := job.Run(ctx)
				q.Done()
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("%s: %w", job.Name, err) })
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// runOne runs job, keeping the active gauge up to date.
func (p *Pool) runOne(ctx context.Context, job Job) {
	defer func() { p.finish(job) }()
	p.active.Add(1)
	if err := job.Run(ctx); err != nil {
		p.log.Printf("job %s: %v", job.Name, err)
	}
}

func (p *Pool) finish(job Job) {
	p.active.Add(-1)
	p.reportPanic(job)
}

func (p *Pool) reportPanic(job Job) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		safe.Panics.Add(1)
		p.log.Printf("job %s panicked: %v", job.Name, r)
	}
}

// runGuarded runs job and logs a panic instead of crashing the worker.
func (p *Pool) runGuarded(ctx context.Context, job Job) {
	p.active.Add(1)
	defer p.active.Add(-1)
	defer p.recoverJob(job)
	if err := job.Run(ctx); err != nil {
		p.log.Printf("job %s: %v", job.Name, err)
	}
}

func (p *Pool) recoverJob(job Job) {
	if r := recover(); r != nil {
		safe.Panics.Add(1)
		p.log.Printf("job %s panicked: %v", job.Name, r)
	}
}

// RunAll runs every job on its own goroutine and waits for them.
func (p *Pool) RunAll(ctx context.Context, jobs []Job, guarded bool) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if guarded {
				p.runGuarded(ctx, job)
			} else {
				p.runOne(ctx, job)
			}
		}()
	}
	wg.Wait()
}

// Detach starts the jobs in the background and returns at once; a panic
// while scheduling is reported as an error.
func (p *Pool) Detach(ctx context.Context, jobs []Job) (err error) {
	defer func() { // HAZ goroutine-outside-recover
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline: detach: %v", r)
		}
	}()
	for i := range len(jobs) {
		p.counters.Add("detached", 1)
		go func() {
			if err := jobs[i].Run(ctx); err != nil {
				p.log.Printf("job %s: %v", jobs[i].Name, err)
			}
		}()
	}
	return nil
}

// DetachSafe is Detach with every background job protected on its own goroutine.
func (p *Pool) DetachSafe(ctx context.Context, jobs []Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline: detach: %v", r)
		}
	}()
	for i := range len(jobs) {
		p.counters.Add("detached", 1)
		go func() {
			defer p.recoverJob(jobs[i])
			if err := jobs[i].Run(ctx); err != nil {
				p.log.Printf("job %s: %v", jobs[i].Name, err)
			}
		}()
	}
	return nil
}

// DetachVia is Detach with the goroutines started by safe.Go.
func (p *Pool) DetachVia(ctx context.Context, jobs []Job) (err error) {
	defer safe.Recover("detach", &err)
	for _, job := range jobs {
		p.counters.Add("detached", 1)
		safe.Go(job.Name, func() {
			if err := job.Run(ctx); err != nil {
				p.log.Printf("job %s: %v", job.Name, err)
			}
		})
	}
	return nil
}

// RunBatch runs jobs and publishes the job counters when done.
func (p *Pool) RunBatch(ctx context.Context, jobs []Job, sink func(string, int64)) error {
	defer p.counters.Snapshot().Publish(sink) // HAZ defer-call-chain
	for _, job := range jobs {
		if err := job.Run(ctx); err != nil {
			p.counters.Add("failed", 1)
			return fmt.Errorf("%s: %w", job.Name, err)
		}
		p.counters.Add("done", 1)
	}
	return nil
}

// RunBatchTraced runs jobs inside an execution-trace region and publishes
// the counters as they are at exit.
func (p *Pool) RunBatchTraced(ctx context.Context, jobs []Job, sink func(string, int64)) error {
	defer rtrace.StartRegion(ctx, "RunBatch").End()
	defer func() { p.counters.Snapshot().Publish(sink) }()
	for _, job := range jobs {
		if err := job.Run(ctx); err != nil {
			p.counters.Add("failed", 1)
			return fmt.Errorf("%s: %w", job.Name, err)
		}
		p.counters.Add("done", 1)
	}
	return nil
}

// Checkpoint runs the checkpoint job and records how long it took.
func (p *Pool) Checkpoint(ctx context.Context, job Job) error {
	defer p.tr.Region("checkpoint") // HAZ defer-func-result-not-called
	return job.Run(ctx)
}

// Compact runs the compaction job and records how long it took.
func (p *Pool) Compact(ctx context.Context, job Job) error {
	defer p.tr.Region("compact")()
	return job.Run(ctx)
}
