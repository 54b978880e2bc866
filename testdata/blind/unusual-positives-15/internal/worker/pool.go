// Package worker runs sync tasks on a fixed pool of goroutines.
package worker

import (
	"fmt"
	"log"
	"sync"
	"sync/atomic"
)

// Task is one unit of work.
type Task struct {
	ID      string
	Kind    Kind
	Payload []byte
}

// Pool is a fixed set of workers draining a task queue.
type Pool struct {
	log    *log.Logger
	tasks  chan Task
	wg     sync.WaitGroup
	handle func(Task) error
	done   atomic.Int64
	panics atomic.Int64
	failed atomic.Int64
}

// NewPool starts n workers that run handle for each submitted task.
func NewPool(n int, queue int, lg *log.Logger, handle func(Task) error) *Pool {
	p := &Pool{log: lg, tasks: make(chan Task, queue), handle: handle}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.worker(i)
	}
	return p
}

func (p *Pool) worker(id int) {
	defer p.wg.Done()
	for t := range p.tasks {
		if err := p.run(t); err != nil {
			p.failed.Add(1)
			p.log.Printf("worker %d: %v", id, err)
		}
	}
}

// run calls the handler and converts its panic into an error. recover is
// called by the deferred literal itself; only the bookkeeping is nested.
func (p *Pool) run(t Task) (err error) {
	defer func() {
		if v := recover(); v != nil {
			bump := func() { p.panics.Add(1) }
			bump()
			err = fmt.Errorf("task %s: panic: %v", t.ID, v)
		}
		p.done.Add(1)
	}()
	return p.handle(t)
}

// RunNow runs t on the caller's goroutine, bypassing the queue.
func (p *Pool) RunNow(t Task) (err error) {
	defer func() {
		report := func() {
			if v := recover(); v != nil { // HAZ recover-ineffective
				p.panics.Add(1)
				err = fmt.Errorf("task %s: panic: %v", t.ID, v)
			}
		}
		report()
		p.done.Add(1)
	}()
	return p.handle(t)
}

// Submit queues t; it blocks while the queue is full.
func (p *Pool) Submit(t Task) {
	p.tasks <- t
}

// Close stops accepting tasks and waits for the workers to drain the queue.
func (p *Pool) Close() {
	close(p.tasks)
	p.wg.Wait()
}

// Counts returns the number of finished, panicked and failed tasks.
func (p *Pool) Counts() (done, panics, failed int64) {
	return p.done.Load(), p.panics.Load(), p.failed.Load()
}
