// Package worker runs queued jobs on a fixed set of goroutines.
package worker

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"

	"example.com/fah15/internal/logx"
	"example.com/fah15/internal/metrics"
	"example.com/fah15/internal/trace"
)

// Job is one unit of work.
type Job struct {
	ID      string
	Queue   string
	Payload []byte
}

// Result is the outcome of one job.
type Result struct {
	ID  string
	Err error
}

// Handler processes a job.
type Handler func(ctx context.Context, j Job) error

var errEmpty = errors.New("worker: empty payload")

// Pool runs jobs with n workers.
type Pool struct {
	n       int
	handler Handler
	log     *logx.Logger
	tracer  *trace.Tracer
	jobDur  *metrics.Histogram
	panics  *metrics.Counter
	leases  *LeaseManager
	poll    func(ctx context.Context, queue string) (int, error)
}

// NewPool builds a pool.
func NewPool(n int, h Handler, log *logx.Logger, tracer *trace.Tracer, reg *metrics.Registry) *Pool {
	return &Pool{
		n:       n,
		handler: h,
		log:     log,
		tracer:  tracer,
		jobDur:  reg.Histogram("job_seconds"),
		panics:  reg.Counter("job_panics"),
		leases:  NewLeaseManager("pool"),
	}
}

// SetPoller installs the queue poller used by PollUntilIdle.
func (p *Pool) SetPoller(poll func(ctx context.Context, queue string) (int, error)) {
	p.poll = poll
}

// Run consumes jobs until the channel closes or ctx ends, then waits for
// every worker.
func (p *Pool) Run(ctx context.Context, jobs <-chan Job) {
	var wg sync.WaitGroup
	for i := 0; i < p.n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.worker(ctx, jobs)
		}()
	}
	wg.Wait()
}

func (p *Pool) worker(ctx context.Context, jobs <-chan Job) {
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-jobs:
			if !ok {
				return
			}
			p.handleOne(ctx, j)
		}
	}
}

func (p *Pool) handleOne(ctx context.Context, j Job) {
	ctx, span := p.tracer.Start(ctx, "job "+j.Queue)
	defer span.End()
	timer := metrics.NewTimer(p.jobDur)
	defer timer.ObserveDuration()
	defer p.recoverJob(j.ID)

	if err := p.handler(ctx, j); err != nil {
		span.RecordError(err)
		p.log.Error("job failed", "id", j.ID, "err", err)
	}
}

// recoverJob is deferred directly, so its recover stops the panic.
func (p *Pool) recoverJob(id string) {
	if r := recover(); r != nil {
		p.panics.Inc()
		p.log.Error("job panicked", "id", id, "panic", r, "stack", string(debug.Stack()))
	}
}

// SafeCall runs the handler once, logging a panic.
func (p *Pool) SafeCall(ctx context.Context, j Job) error {
	defer func() {
		p.logPanic(j.ID)
	}()
	return p.handler(ctx, j)
}

func (p *Pool) logPanic(id string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		p.panics.Inc()
		p.log.Error("handler panicked", "id", id, "panic", r)
	}
}

// Call runs the handler once and turns a panic into an error.
func (p *Pool) Call(ctx context.Context, j Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			p.panics.Inc()
			err = fmt.Errorf("job %s panicked: %v", j.ID, r)
		}
	}()
	return p.handler(ctx, j)
}

// BestEffort runs a side task (cache warmup, metrics push) whose failure
// must never take the worker down.
func BestEffort(f func()) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	f()
}

// Guard runs f and re-panics after logging, so crashes stay visible.
func (p *Pool) Guard(name string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			p.log.Error("guarded task panicked", "task", name, "panic", r)
			_ = p.log.Sync()
			panic(r)
		}
	}()
	f()
}

// Dispatch runs the handler with a deadline; a panic becomes an error.
func (p *Pool) Dispatch(ctx context.Context, j Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("dispatch %s: %v", j.ID, r)
		}
	}()
	done := make(chan error, 1)
	go func() { done <- p.handler(ctx, j) }() // HAZ goroutine-outside-recover
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// DispatchSafe is Dispatch with the recover inside the goroutine too.
func (p *Pool) DispatchSafe(ctx context.Context, j Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("dispatch %s: %v", j.ID, r)
		}
	}()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("job %s panicked: %v", j.ID, r)
			}
		}()
		done <- p.handler(ctx, j)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
