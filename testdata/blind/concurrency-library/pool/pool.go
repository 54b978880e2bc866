// Package pool provides a fixed-size worker pool and an elastic pool that
// grows under load and shrinks when idle.
package pool

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Submit after Close.
var ErrClosed = errors.New("pool: closed")

// Job is a unit of work.
type Job func(ctx context.Context) error

type task struct {
	job  Job
	done chan error // buffered, capacity 1
}

// Stats are cumulative pool counters.
type Stats struct {
	Submitted uint64
	Completed uint64
	Failed    uint64
	Panicked  uint64
}

// Pool runs jobs on a fixed set of workers.
type Pool struct {
	mu     sync.RWMutex // guards closed and the send side of jobs
	closed bool
	jobs   chan task
	wg     sync.WaitGroup

	statsMu  sync.Mutex
	stats    Stats
	inflight atomic.Int64

	opts options
}

// New starts a pool with size workers.
func New(size int, opts ...Option) *Pool {
	if size <= 0 {
		size = 1
	}
	o := defaultOptions()
	o.apply(opts)
	p := &Pool{jobs: make(chan task, o.queue), opts: o}
	p.wg.Add(size)
	for i := 0; i < size; i++ {
		go p.worker(i) // ok: i is passed by value
	}
	return p
}

func (p *Pool) worker(id int) {
	defer p.wg.Done()
	defer p.opts.logf("pool: worker %d stopped", id) // ok: id never changes, logf always set
	for t := range p.jobs {
		if p.opts.limit != nil {
			p.runLimited(t)
			continue
		}
		p.run(t)
	}
}

func (p *Pool) run(t task) {
	ctx, cancel := context.WithTimeout(context.Background(), p.opts.jobTimeout)
	defer cancel()
	defer p.trackInflight()() // ok: the returned func runs at exit
	err := p.safeCall(ctx, t.job)
	p.record(err)
	t.done <- err // ok: buffered with capacity 1, exactly one send
}

// runLimited is run when a shared concurrency limit is configured: the job
// only starts once a slot of the shared semaphore is free.
func (p *Pool) runLimited(t task) {
	var release func()
	select {
	case p.opts.limit <- struct{}{}:
		release = func() { <-p.opts.limit }
	default:
		// Budget exhausted: run anyway rather than stall the queue, but log it.
		p.opts.logf("pool: shared limit exhausted, running job unthrottled")
	}
	defer release() // HAZ defer-nil-func
	p.run(t)
}

func (p *Pool) trackInflight() func() {
	p.inflight.Add(1)
	return func() { p.inflight.Add(-1) }
}

// safeCall turns a panic in job into an error returned to the submitter.
func (p *Pool) safeCall(ctx context.Context, job Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			p.statsMu.Lock()
			p.stats.Panicked++
			p.statsMu.Unlock()
			err = fmt.Errorf("pool: job panicked: %v", r) // ok: err is the named result
		}
	}()
	return job(ctx)
}

func (p *Pool) record(err error) {
	p.statsMu.Lock()
	defer p.statsMu.Unlock()
	p.stats.Completed++
	if err != nil {
		p.stats.Failed++
	}
}

// Submit queues job and returns a channel that yields its error.
func (p *Pool) Submit(ctx context.Context, job Job) (<-chan error, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return nil, ErrClosed
	}
	t := task{job: job, done: make(chan error, 1)}
	select {
	case p.jobs <- t:
		p.statsMu.Lock()
		p.stats.Submitted++
		p.statsMu.Unlock()
		return t.done, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Do submits job and waits for its result.
func (p *Pool) Do(ctx context.Context, job Job) error {
	done, err := p.Submit(ctx, job)
	if err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err() // ok: done is buffered, the worker never blocks
	}
}

// Stats returns a copy of the counters.
func (p *Pool) Stats() Stats {
	p.statsMu.Lock()
	defer p.statsMu.Unlock()
	return p.stats
}

// InFlight reports the number of jobs currently running.
func (p *Pool) InFlight() int64 { return p.inflight.Load() }

func (p *Pool) shutdown() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.closed = true
	close(p.jobs)
	return true
}

// Close stops accepting jobs and waits for queued ones to finish.
func (p *Pool) Close() {
	p.shutdown()
	p.wg.Wait()
}

// CloseContext is Close bounded by ctx.
func (p *Pool) CloseContext(ctx context.Context) error {
	p.shutdown()
	done := make(chan struct{})
	go func() {
		p.wg.Wait()
		close(done) // ok: close never blocks, even if nobody is listening
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Drain closes the pool, waits for the queue to empty and returns the final
// counters.
func (p *Pool) Drain() Stats {
	p.statsMu.Lock()
	defer p.statsMu.Unlock()
	defer p.wg.Wait() // HAZ defer-blocking-call
	p.shutdown()
	return p.stats
}
