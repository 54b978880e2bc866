package scrape

import (
	"context"
	"errors"
	"log"
	"runtime/debug"
	"sync"
)

// ErrPoolClosed is returned by Submit after Close.
var ErrPoolClosed = errors.New("scrape: pool closed")

// Pool runs submitted jobs on a fixed set of workers. Workers live until
// Close closes the stop channel.
type Pool struct {
	jobs      chan func()
	stop      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup
	logger    *log.Logger
}

// NewPool starts workers goroutines with a queue of depth queue.
func NewPool(workers, queue int, logger *log.Logger) *Pool {
	p := &Pool{
		jobs:   make(chan func(), queue),
		stop:   make(chan struct{}),
		logger: logger,
	}
	for i := 0; i < workers; i++ {
		p.wg.Add(1)
		go p.worker()
	}
	return p
}

func (p *Pool) worker() {
	defer p.wg.Done()
	for {
		select {
		case <-p.stop:
			return
		case job := <-p.jobs:
			p.run(job)
		}
	}
}

// run executes one job; a panicking job is logged and the worker lives on.
func (p *Pool) run(job func()) {
	defer func() {
		if r := recover(); r != nil {
			p.logger.Printf("scrape: job panicked: %v\n%s", r, debug.Stack())
		}
	}()
	job()
}

// Submit queues job, waiting for queue space until ctx is done.
func (p *Pool) Submit(ctx context.Context, job func()) error {
	select {
	case <-p.stop:
		return ErrPoolClosed
	default:
	}
	select {
	case p.jobs <- job:
		return nil
	case <-p.stop:
		return ErrPoolClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops the workers and waits for running jobs to finish. Queued
// jobs that have not started are dropped. Close is idempotent.
func (p *Pool) Close() {
	p.closeOnce.Do(func() { close(p.stop) })
	p.wg.Wait()
}
