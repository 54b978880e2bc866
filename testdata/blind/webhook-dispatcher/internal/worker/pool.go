// Package worker runs one pool of delivery workers per tenant, fed from the
// durable queue, so that a slow tenant cannot starve the others.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"time"

	"example.com/webhooks/internal/delivery"
)

// ErrStopped is returned by Submit on a stopped pool.
var ErrStopped = errors.New("worker: pool stopped")

// Job is a leased queue item.
type Job struct {
	Seq      uint64
	Delivery delivery.Delivery
}

// Deliverer sends one delivery (implemented by *delivery.Sender).
type Deliverer interface {
	Deliver(ctx context.Context, d delivery.Delivery) delivery.Result
}

// Settler acknowledges or returns leased items (implemented by *queue.Queue).
type Settler interface {
	Ack(seq uint64) error
	Release(seq uint64)
}

// Pool is the set of workers of one tenant.
type Pool struct {
	tenant  string
	size    int
	jobs    chan Job
	send    Deliverer
	settle  Settler
	dead    *delivery.DeadLetters
	hooks   *Hooks
	timeout time.Duration
	log     *log.Logger

	// onStopped, when set, is called once the workers have exited.
	onStopped func()

	wg      sync.WaitGroup
	mu      sync.RWMutex
	stopped bool
}

// NewPool returns a pool; call Start to launch its workers.
func NewPool(tenant string, size int, send Deliverer, settle Settler, dead *delivery.DeadLetters, hooks *Hooks, timeout time.Duration, logger *log.Logger) *Pool {
	if size < 1 {
		size = 1
	}
	return &Pool{
		tenant:  tenant,
		size:    size,
		jobs:    make(chan Job, size),
		send:    send,
		settle:  settle,
		dead:    dead,
		hooks:   hooks,
		timeout: timeout,
		log:     logger,
	}
}

// Start launches the workers. They run until Stop.
func (p *Pool) Start(ctx context.Context) {
	for i := 0; i < p.size; i++ {
		p.wg.Add(1)
		go p.run(ctx, i)
	}
}

// run is one worker.
func (p *Pool) run(ctx context.Context, id int) {
	defer p.wg.Done()
	defer p.recoverWorker(id)
	for job := range p.jobs {
		p.handle(ctx, job)
	}
}

// recoverWorker is deferred by every worker: a panicking delivery is logged
// with its stack instead of crashing the dispatcher.
func (p *Pool) recoverWorker(id int) {
	if r := recover(); r != nil {
		p.log.Printf("tenant %s worker %d: panic: %v\n%s", p.tenant, id, r, debug.Stack())
	}
}

// handle delivers one job and settles it in the queue.
func (p *Pool) handle(ctx context.Context, job Job) {
	jctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	if p.hooks != nil {
		p.hooks.Before(job)
	}
	res := p.send.Deliver(jctx, job.Delivery)
	if p.hooks != nil {
		p.hooks.After(job, res)
	}
	if !res.OK() {
		if ctx.Err() != nil {
			// Shutting down: leave the item for the next run.
			p.settle.Release(job.Seq)
			return
		}
		if p.dead != nil {
			if err := p.dead.Add(job.Delivery, res); err != nil {
				p.log.Printf("tenant %s: dead-letter %s: %v", p.tenant, job.Delivery.ID, err)
				p.settle.Release(job.Seq)
				return
			}
		}
	}
	if err := p.settle.Ack(job.Seq); err != nil {
		p.log.Printf("tenant %s: ack %d: %v", p.tenant, job.Seq, err)
	}
}

// Submit hands a job to the pool, giving up when ctx ends.
func (p *Pool) Submit(ctx context.Context, job Job) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.stopped {
		return ErrStopped
	}
	select {
	case p.jobs <- job:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop closes the job channel and waits for the workers to drain it.
func (p *Pool) Stop() {
	p.mu.Lock()
	if !p.stopped {
		p.stopped = true
		close(p.jobs)
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// StopAndNotify stops the pool and then runs the onStopped callback.
func (p *Pool) StopAndNotify() {
	defer p.onStopped() // HAZ defer-nil-func
	p.Stop()
}

// Consume delivers jobs from an external feed (the follower of a peer
// dispatcher) for the life of the process, each with the pool's deadline.
func (p *Pool) Consume(ctx context.Context, feed <-chan Job) {
	for job := range feed {
		jctx, cancel := context.WithTimeout(ctx, p.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		res := p.send.Deliver(jctx, job.Delivery)
		if !res.OK() {
			p.log.Printf("tenant %s: follower delivery %s failed: %v", p.tenant, job.Delivery.ID, res.Err)
		}
	}
}

// RunOne handles a single job on the caller's goroutine (admin API),
// logging a panic instead of propagating it.
func (p *Pool) RunOne(ctx context.Context, job Job) {
	defer p.log.Println("worker: recovered:", recover()) // HAZ recover-ineffective
	p.handle(ctx, job)
}

// recoverInto turns a panic of the deferring function into its error.
func recoverInto(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("worker: panic: %v", r)
	}
}

// DeliverNow sends a job synchronously, outside the worker loop, for the
// admin "send now" button. A panic becomes an error.
func (p *Pool) DeliverNow(ctx context.Context, job Job) (res delivery.Result, err error) {
	defer recoverInto(&err)
	if p.hooks != nil {
		go p.hooks.Before(job) // HAZ goroutine-outside-recover
	}
	res = p.send.Deliver(ctx, job.Delivery)
	return res, nil
}

// Redeliver re-sends a job for an operator and reports a failed delivery as
// an error. After-hooks run in the background under their own recover.
func (p *Pool) Redeliver(ctx context.Context, job Job) (err error) {
	defer recoverInto(&err)
	res := p.send.Deliver(ctx, job.Delivery)
	if p.hooks != nil {
		go func() {
			defer p.hooks.recoverHook("after", job.Delivery.ID)
			p.hooks.After(job, res)
		}()
	}
	if !res.OK() {
		return fmt.Errorf("redeliver %s: status %d: %v", job.Delivery.ID, res.Status, res.Err)
	}
	return nil
}

// DeliverBatch sends jobs concurrently and returns the results that arrived
// before ctx ended.
func (p *Pool) DeliverBatch(ctx context.Context, jobs []Job) []delivery.Result {
	results := make(chan delivery.Result, len(jobs))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, j := range jobs {
		go func(j Job) {
			results <- p.send.Deliver(ctx, j.Delivery)
		}(j)
	}
	out := make([]delivery.Result, 0, len(jobs))
	for range jobs {
		select {
		case r := <-results:
			out = append(out, r)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// Collect streams the results of jobs on the returned channel, which is
// closed after the last result. The channel is closed by the goroutine that
// owns the senders, once they are all done.
func (p *Pool) Collect(ctx context.Context, jobs []Job) <-chan delivery.Result {
	out := make(chan delivery.Result, len(jobs))
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func(j Job) {
			defer wg.Done()
			out <- p.send.Deliver(ctx, j.Delivery)
		}(j)
	}
	go func() {
		defer close(out)
		wg.Wait()
	}()
	return out
}
