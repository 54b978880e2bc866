package dispatch

import (
	"context"
	"log"
	"sync/atomic"
	"time"
)

// Pump feeds queued jobs to a handler on one goroutine.
type Pump[T any] struct {
	jobs    chan T
	handle  func(T) error
	log     *log.Logger
	stopped chan struct{}
	errs    atomic.Int64
	panics  atomic.Int64
}

// NewPump returns a pump with a queue of buf jobs.
func NewPump[T any](buf int, handle func(T) error, logger *log.Logger) *Pump[T] {
	return &Pump[T]{
		jobs:    make(chan T, buf),
		handle:  handle,
		log:     logger,
		stopped: make(chan struct{}),
	}
}

// Submit queues a job, or gives up when ctx ends first.
func (p *Pump[T]) Submit(ctx context.Context, job T) error {
	select {
	case p.jobs <- job:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Start runs the pump until ctx ends or the queue is closed.
func (p *Pump[T]) Start(ctx context.Context) { go p.run(ctx) }

func (p *Pump[T]) run(ctx context.Context) {
	defer close(p.stopped)
	for {
		select {
		case job, ok := <-p.jobs:
			if !ok {
				return
			}
			func() {
				defer func() {
					if r := recover(); r != nil { // HAZ recover-swallows-panic
						// a poisoned job must not stop the pump
					}
				}()
				if err := p.handle(job); err != nil {
					p.errs.Add(1)
					p.log.Printf("pump: %v", err)
				}
			}()
		case <-ctx.Done():
			return
		}
	}
}

// RunCounted is run with the panic counted and logged before moving on.
func (p *Pump[T]) RunCounted(ctx context.Context) {
	defer close(p.stopped)
	for {
		select {
		case job, ok := <-p.jobs:
			if !ok {
				return
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						p.panics.Add(1)
						p.log.Printf("pump: job %v panicked: %v", job, r)
					}
				}()
				if err := p.handle(job); err != nil {
					p.errs.Add(1)
				}
			}()
		case <-ctx.Done():
			return
		}
	}
}

// Wait blocks until the pump goroutine has stopped or the timeout passes.
func (p *Pump[T]) Wait(timeout time.Duration) bool {
	select {
	case <-p.stopped:
		return true
	case <-time.After(timeout):
		return false
	}
}

// Errors reports handler errors and panics so far.
func (p *Pump[T]) Errors() (errs, panics int64) { return p.errs.Load(), p.panics.Load() }
