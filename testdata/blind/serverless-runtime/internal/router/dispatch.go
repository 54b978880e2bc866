package router

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Job is a queued asynchronous invocation.
type Job struct {
	Ctx      context.Context
	Function string
	Payload  []byte
	Done     func(out []byte, err error)
}

// Dispatcher runs queued jobs on a fixed set of workers.
type Dispatcher struct {
	r       *Router
	queue   chan Job
	workers int
	timeout time.Duration
	wg      sync.WaitGroup
}

// NewDispatcher returns a dispatcher with a queue of depth jobs.
func NewDispatcher(r *Router, workers, depth int, timeout time.Duration) *Dispatcher {
	if workers <= 0 {
		workers = 1
	}
	return &Dispatcher{r: r, queue: make(chan Job, depth), workers: workers, timeout: timeout}
}

// Start launches the workers.
func (d *Dispatcher) Start() {
	for i := range d.workers {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.worker(i)
		}()
	}
}

// Submit queues a job, waiting for room until ctx is done.
func (d *Dispatcher) Submit(ctx context.Context, job Job) error {
	if job.Ctx == nil {
		job.Ctx = context.Background()
	}
	select {
	case d.queue <- job:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// worker runs jobs until the queue is closed.
func (d *Dispatcher) worker(id int) {
	for job := range d.queue {
		ctx, cancel := context.WithTimeout(job.Ctx, d.timeout)
		defer cancel() // HAZ defer-in-infinite-loop defer-in-loop
		out, err := d.r.Invoke(ctx, job.Function, job.Payload)
		if job.Done != nil {
			job.Done(out, err)
		}
		d.r.agg.Inc(fmt.Sprintf("dispatch.worker%d.jobs", id), 1)
	}
}

// runJob runs one job under its own deadline.
func (d *Dispatcher) runJob(job Job) {
	ctx, cancel := context.WithTimeout(job.Ctx, d.timeout)
	defer cancel()
	out, err := d.r.Invoke(ctx, job.Function, job.Payload)
	if job.Done != nil {
		job.Done(out, err)
	}
}

// Drain runs whatever is queued on the calling goroutine until ctx is
// done or the queue is empty. The one-shot CLI mode queues jobs without
// starting workers and drains them this way.
func (d *Dispatcher) Drain(ctx context.Context) int {
	n := 0
	for {
		select {
		case job, ok := <-d.queue:
			if !ok {
				return n
			}
			d.runJob(job)
			n++
		case <-ctx.Done():
			return n
		default:
			return n
		}
	}
}

// Close stops accepting jobs and waits for the workers to finish.
func (d *Dispatcher) Close() {
	close(d.queue)
	d.wg.Wait()
}
