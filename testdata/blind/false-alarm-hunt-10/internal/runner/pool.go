package runner

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

// ErrClosed is returned when submitting to a closed pool.
var ErrClosed = errors.New("runner: pool closed")

// Job is one unit of background work.
type Job struct {
	ID  string
	Run func(ctx context.Context) error
}

// Event is reported to hooks after every job.
type Event struct {
	JobID string
	Err   error
	Took  time.Duration
}

// Pool runs jobs on a fixed set of workers.
type Pool struct {
	jobs      chan Job
	quit      chan struct{}
	closeOnce sync.Once
	closed    atomic.Bool
	wg        sync.WaitGroup
	hooks     []func(Event)
	logger    *log.Logger

	mu     sync.Mutex
	failed map[string]error
}

// NewPool starts workers goroutines that run until ctx ends or Close is
// called.
func NewPool(ctx context.Context, workers int, logger *log.Logger, hooks ...func(Event)) *Pool {
	p := &Pool{
		jobs:   make(chan Job, workers),
		quit:   make(chan struct{}),
		hooks:  hooks,
		logger: logger,
		failed: make(map[string]error),
	}
	for i := 0; i < workers; i++ {
		p.wg.Add(1)
		go p.worker(ctx, i)
	}
	return p
}

// worker runs jobs until the pool is closed or ctx ends.
func (p *Pool) worker(ctx context.Context, id int) {
	defer p.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.quit:
			return
		case j := <-p.jobs:
			if err := p.runJob(ctx, j); err != nil {
				p.logger.Printf("worker %d: job %s: %v", id, j.ID, err)
			}
		}
	}
}

// runJob runs j, turning a panic into an error, and reports the outcome.
func (p *Pool) runJob(ctx context.Context, j Job) (err error) {
	start := time.Now()
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				err = fmt.Errorf("job %s panicked: %v", j.ID, r)
			}
		}
		report()
		p.notify(Event{JobID: j.ID, Err: err, Took: time.Since(start)})
	}()
	return j.Run(ctx)
}

// notify calls every hook with ev. A misbehaving hook must not take the
// worker down.
func (p *Pool) notify(ev Event) {
	for _, h := range p.hooks {
		func() {
			defer func() {
				if r := recover(); r != nil { // HAZ recover-swallows-panic
				}
			}()
			h(ev)
		}()
	}
}

// runHook calls h with ev and logs a panicking hook instead of crashing.
func (p *Pool) runHook(h func(Event), ev Event) {
	defer func() {
		if r := recover(); r != nil {
			p.logger.Printf("hook panicked on job %s: %v\n%s", ev.JobID, r, debug.Stack())
		}
	}()
	h(ev)
}

// NotifyAll is notify for hooks that are allowed to panic: each panic is
// logged with its stack.
func (p *Pool) NotifyAll(ev Event) {
	for _, h := range p.hooks {
		p.runHook(h, ev)
	}
}

// prepare validates j. It panics on programming errors.
func (p *Pool) prepare(j Job) Job {
	if j.Run == nil {
		panic("runner: job " + j.ID + " has no Run func")
	}
	if j.ID == "" {
		j.ID = fmt.Sprintf("job-%d", time.Now().UnixNano())
	}
	return j
}

// Enqueue hands j to a worker, waiting for queue space until ctx ends.
func (p *Pool) Enqueue(ctx context.Context, j Job) (err error) {
	defer Recover(&err)
	if p.closed.Load() {
		return ErrClosed
	}
	j = p.prepare(j)
	select {
	case p.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryEnqueue hands j to a worker only if there is queue space right now.
func (p *Pool) TryEnqueue(j Job) bool {
	if p.closed.Load() {
		return false
	}
	select {
	case p.jobs <- j:
		return true
	default:
		return false
	}
}

// Submit runs j on its own goroutine, outside the worker limit. An invalid
// job is reported as an error instead of a panic.
func (p *Pool) Submit(ctx context.Context, j Job) (err error) {
	defer Recover(&err)
	if p.closed.Load() {
		return ErrClosed
	}
	j = p.prepare(j)
	p.wg.Add(1)
	go p.runDetached(ctx, j) // HAZ goroutine-outside-recover
	return nil
}

// runDetached runs a submitted job and records its failure.
func (p *Pool) runDetached(ctx context.Context, j Job) {
	defer p.wg.Done()
	if err := j.Run(ctx); err != nil {
		p.recordFailure(j.ID, err)
	}
}

// SubmitIsolated is Submit for untrusted jobs: a panic in the job is
// recorded as its failure.
func (p *Pool) SubmitIsolated(ctx context.Context, j Job) (err error) {
	defer Recover(&err)
	if p.closed.Load() {
		return ErrClosed
	}
	j = p.prepare(j)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if err := Call(func() error { return j.Run(ctx) }); err != nil {
			p.recordFailure(j.ID, err)
		}
	}()
	return nil
}

func (p *Pool) recordFailure(id string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failed[id] = err
}

// Failures returns a copy of the failed job IDs and their errors.
func (p *Pool) Failures() map[string]error {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]error, len(p.failed))
	for k, v := range p.failed {
		out[k] = v
	}
	return out
}

// Close stops the workers and waits for running jobs. It is safe to call
// more than once.
func (p *Pool) Close() {
	p.closeOnce.Do(func() {
		p.closed.Store(true)
		close(p.quit)
	})
	p.wg.Wait()
}
