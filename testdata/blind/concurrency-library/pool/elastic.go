package pool

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Elastic is a pool whose worker count follows the load: a worker is added
// when a job cannot be queued, and an idle worker exits after the idle timeout.
type Elastic struct {
	mu      sync.Mutex
	workers int
	closed  bool

	jobs chan Job
	wg   sync.WaitGroup

	running atomic.Int64
	opts    options
}

// NewElastic returns an elastic pool with no workers yet.
func NewElastic(opts ...Option) *Elastic {
	o := defaultOptions()
	o.apply(opts)
	return &Elastic{jobs: make(chan Job, o.queue), opts: o}
}

// grow reserves a worker slot; the caller starts the goroutine.
func (e *Elastic) grow() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed || e.workers >= e.opts.max {
		return false
	}
	e.workers++
	e.wg.Add(1)
	return true
}

// shrink gives a worker slot back unless it is the last worker.
func (e *Elastic) shrink() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.workers <= 1 {
		return false
	}
	e.workers--
	return true
}

// Workers reports the current number of workers.
func (e *Elastic) Workers() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.workers
}

func (e *Elastic) track() func() {
	e.running.Add(1)
	return func() { e.running.Add(-1) }
}

// Submit hands job to an idle worker, starting a new one when none is free.
// Submitting on a closed pool returns an error instead of panicking.
func (e *Elastic) Submit(job Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("elastic: submit: %v", r) // send on closed channel after Close
		}
	}()
	select {
	case e.jobs <- job:
		return nil
	default:
	}
	if e.grow() {
		go e.worker() // HAZ goroutine-outside-recover
	}
	e.jobs <- job
	return nil
}

func (e *Elastic) runJob(job Job) {
	defer e.track()() // ok: track's cleanup is called
	ctx, cancel := context.WithTimeout(context.Background(), e.opts.jobTimeout)
	defer cancel()
	if err := job(ctx); err != nil {
		e.opts.logf("elastic: job failed: %v", err)
	}
}

func (e *Elastic) worker() {
	defer e.wg.Done()
	idle := time.NewTimer(e.opts.idle)
	defer idle.Stop() // ok: registered once, outside the loop
	for {
		select {
		case job, ok := <-e.jobs:
			if !ok {
				return
			}
			e.runJob(job)
			if !idle.Stop() {
				select {
				case <-idle.C:
				default:
				}
			}
			idle.Reset(e.opts.idle)
		case <-idle.C:
			if e.shrink() {
				e.wg.Done() // HAZ waitgroup-done-path
				return
			}
			idle.Reset(e.opts.idle)
		}
	}
}

// Prestart starts workers until the pool has n of them.
func (e *Elastic) Prestart(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n > e.opts.max {
		n = e.opts.max
	}
	var i int
	for i = e.workers; i < n; i++ {
		e.wg.Add(1)
		go func() { // HAZ loop-var-capture
			e.opts.logf("elastic: prestarted worker #%d", i)
			e.worker()
		}()
	}
	e.workers = i
}

// Warm starts n extra workers, each with its own index.
func (e *Elastic) Warm(n int) {
	for i := range n {
		if !e.grow() {
			return
		}
		go func() {
			e.opts.logf("elastic: warm worker #%d", i) // ok: per-iteration i (go1.22)
			e.worker()
		}()
	}
}

// Close stops the pool and waits for all workers.
func (e *Elastic) Close() {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	e.closed = true
	close(e.jobs)
	e.mu.Unlock() // ok: unlocked on both paths
	e.wg.Wait()
}
