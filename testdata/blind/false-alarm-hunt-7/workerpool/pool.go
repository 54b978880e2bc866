// Package workerpool runs jobs on a bounded set of goroutines.
package workerpool

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// Job is a unit of work.
type Job func(ctx context.Context) error

// ErrStopped is returned by Submit after Stop.
var ErrStopped = errors.New("workerpool: stopped")

// Hooks observe the pool; nil fields are skipped.
type Hooks struct {
	OnStart func(worker int)
	OnError func(err error)
	OnPanic func(v any)
	Timing  func(name string, d time.Duration)
}

// Pool is a fixed-size worker pool.
type Pool struct {
	jobs    chan Job
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	hooks   Hooks
	stopped atomic.Bool
	done    atomic.Int64
	failed  atomic.Int64
	stopMu  sync.Mutex
}

// New starts n workers with a queue of depth jobs.
func New(n, depth int, hooks Hooks) *Pool {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{jobs: make(chan Job, depth), ctx: ctx, cancel: cancel, hooks: hooks}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.worker(i)
	}
	return p
}

func (p *Pool) worker(id int) {
	defer p.wg.Done()
	if p.hooks.OnStart != nil {
		p.hooks.OnStart(id)
	}
	for job := range p.jobs {
		p.run(job)
	}
}

// run executes one job; a panic is counted as a failure and handed to the
// OnPanic hook instead of killing the worker.
func (p *Pool) run(job Job) {
	defer func() {
		if r := recover(); r != nil {
			p.failed.Add(1)
			if p.hooks.OnPanic != nil {
				p.hooks.OnPanic(r)
			} else {
				log.Printf("workerpool: job panicked: %v", r)
			}
		}
	}()
	if err := job(p.ctx); err != nil {
		p.failed.Add(1)
		if p.hooks.OnError != nil {
			p.hooks.OnError(err)
		}
		return
	}
	p.done.Add(1)
}

// Submit queues job, waiting for room until ctx ends.
func (p *Pool) Submit(ctx context.Context, job Job) error {
	if p.stopped.Load() {
		return ErrStopped
	}
	select {
	case p.jobs <- job:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-p.ctx.Done():
		return ErrStopped
	}
}

// TrySubmit queues job only if there is room right now.
func (p *Pool) TrySubmit(job Job) bool {
	if p.stopped.Load() {
		return false
	}
	select {
	case p.jobs <- job:
		return true
	default:
		return false
	}
}

// Stop stops accepting jobs, lets queued jobs finish and waits for the
// workers. It is safe to call more than once.
func (p *Pool) Stop() {
	p.stopMu.Lock()
	defer p.stopMu.Unlock()
	if p.stopped.Swap(true) {
		return
	}
	close(p.jobs)
	p.wg.Wait()
	p.cancel()
}

// StopNow cancels running jobs and then stops.
func (p *Pool) StopNow() {
	p.cancel()
	p.Stop()
}

// Stats returns completed and failed job counts.
func (p *Pool) Stats() (done, failed int64) {
	return p.done.Load(), p.failed.Load()
}

// timed returns a function that reports how long a phase took.
func (p *Pool) timed(name string) func() {
	start := time.Now()
	return func() {
		if p.hooks.Timing != nil {
			p.hooks.Timing(name, time.Since(start))
		}
	}
}

// Drain waits until the queue is empty or ctx ends, reporting the time.
func (p *Pool) Drain(ctx context.Context) error {
	defer p.timed("drain") // HAZ defer-func-result-not-called
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for len(p.jobs) > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// StopTimed is Stop with the phase timed through the returned function.
func (p *Pool) StopTimed() {
	defer p.timed("stop")()
	p.Stop()
}

// RunAll runs jobs concurrently, one goroutine each, and returns their
// joined errors. A panic in a job is converted to an error.
func RunAll(ctx context.Context, jobs []Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("workerpool: RunAll: %v", r)
		}
	}()
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			errs[i] = job(ctx)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunAllSafe is RunAll where every goroutine recovers its own panic.
func RunAllSafe(ctx context.Context, jobs []Job) error {
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = callJob(ctx, job)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// callJob runs job and turns a panic into an error.
func callJob(ctx context.Context, job Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("workerpool: job panicked: %v", r)
		}
	}()
	return job(ctx)
}

// RunLimited runs jobs with at most limit in flight and stops launching
// new ones after the first error.
func RunLimited(ctx context.Context, limit int, jobs []Job) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, limit)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for _, job := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer releaseToken(sem)
			if err := callJob(ctx, job); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// releaseToken gives back a semaphore token without ever blocking.
func releaseToken(sem chan struct{}) {
	select {
	case <-sem:
	default:
	}
}

// Batch runs jobs in groups of size, waiting for each group to finish.
func Batch(ctx context.Context, size int, jobs []Job) error {
	var errs []error
	for start := 0; start < len(jobs); start += size {
		end := min(start+size, len(jobs))
		var wg sync.WaitGroup
		batchErrs := make([]error, end-start)
		for i, job := range jobs[start:end] {
			wg.Add(1)
			go func() {
				if err := callJob(ctx, job); err != nil {
					batchErrs[i] = err
					return
				}
				wg.Done() // HAZ waitgroup-done-path
			}()
		}
		wg.Wait()
		errs = append(errs, batchErrs...)
	}
	return errors.Join(errs...)
}
