package group

import (
	"context"
	"fmt"
	"sync"
	"time"

	"example.com/fah29/internal/syncx"
)

// Job is a unit of work run by a Pool.
type Job func(ctx context.Context) error

// Pool runs queued jobs on a fixed set of workers. Start, Grow and Stop
// must be called from one goroutine.
type Pool struct {
	ctx     context.Context
	jobs    chan Job
	errs    chan error
	wg      sync.WaitGroup
	started int
	observe func(op string, d time.Duration)
	lastRun *syncx.Map[string, time.Time]
}

// NewPool returns a pool with room for queue pending jobs. Worker errors
// are available on Errors; they are dropped when nobody reads them.
func NewPool(ctx context.Context, queue int) *Pool {
	return &Pool{
		ctx:     ctx,
		jobs:    make(chan Job, queue),
		errs:    make(chan error, 16),
		lastRun: syncx.NewMap[string, time.Time](8),
	}
}

// Start launches n workers numbered 0..n-1.
func (p *Pool) Start(n int) {
	var i int
	for i = 0; i < n; i++ {
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			p.work(i)
		}()
	}
	p.started = i
}

// Grow adds n more workers, numbered after the existing ones.
func (p *Pool) Grow(n int) {
	base := p.started
	for i := range n {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.work(base + i)
		}()
	}
	p.started += n
}

// StartIDs launches n workers and returns their ids.
func (p *Pool) StartIDs(n int) []int {
	ids := make([]int, 0, n)
	var id int
	for id = p.started; id < p.started+n; id++ {
		p.wg.Add(1)
		go func(id int) {
			defer p.wg.Done()
			p.work(id)
		}(id)
		ids = append(ids, id)
	}
	p.started = id
	return ids
}

func (p *Pool) work(id int) {
	for job := range p.jobs {
		if err := job(p.ctx); err != nil {
			p.report(id, err)
		}
	}
}

// report hands err to Errors without ever blocking a worker.
func (p *Pool) report(id int, err error) {
	select {
	case p.errs <- fmt.Errorf("worker %d: %w", id, err):
	default:
	}
}

// Submit queues job, giving up when ctx is done.
func (p *Pool) Submit(ctx context.Context, job Job) error {
	select {
	case p.jobs <- job:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Errors returns the channel on which worker errors are reported.
func (p *Pool) Errors() <-chan error {
	return p.errs
}

// Observe sets the func that receives the duration of pool operations.
func (p *Pool) Observe(fn func(op string, d time.Duration)) {
	p.observe = fn
}

// span starts timing op; calling the returned func reports it.
func (p *Pool) span(op string) func() {
	start := time.Now()
	return func() {
		if p.observe != nil {
			p.observe(op, time.Since(start))
		}
	}
}

// Stop closes the queue and waits for the workers to finish what is queued.
func (p *Pool) Stop() {
	defer p.span("stop")()
	close(p.jobs)
	p.wg.Wait()
}

// Drain waits until the queue is empty or ctx is done, leaving the workers
// running.
func (p *Pool) Drain(ctx context.Context) error {
	defer p.span("drain") // HAZ defer-func-result-not-called
	t := time.NewTicker(10 * time.Millisecond)
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

// RunNow runs job synchronously and records when it finished.
func (p *Pool) RunNow(name string, job Job) error {
	defer p.finished(name, time.Now()) // HAZ defer-eager-evaluation
	return job(p.ctx)
}

// RunTimed runs job synchronously and reports how long it took.
func (p *Pool) RunTimed(name string, job Job) error {
	defer p.span("run " + name)()
	return job(p.ctx)
}

func (p *Pool) finished(name string, at time.Time) {
	p.lastRun.Store(name, at)
}

// LastRun reports when the job called name last finished under RunNow.
func (p *Pool) LastRun(name string) (time.Time, bool) {
	return p.lastRun.Load(name)
}

// Scatter runs every job concurrently and returns a channel carrying one
// error per job.
func (p *Pool) Scatter(jobs []Job) <-chan error {
	errc := make(chan error, len(jobs))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, job := range jobs {
		go func() { errc <- job(p.ctx) }()
	}
	return errc
}

// ScatterWait is Scatter that returns once every job has finished; the
// returned channel is closed and holds one error per job.
func (p *Pool) ScatterWait(jobs []Job) <-chan error {
	errc := make(chan error, len(jobs))
	defer close(errc)
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- job(p.ctx)
		}()
	}
	wg.Wait()
	return errc
}

// RunBatch runs jobs concurrently, outside the queue, and returns their
// errors by index.
func (p *Pool) RunBatch(jobs []Job) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for i, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := job(p.ctx); err != nil {
				errs[i] = err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return errs
}
