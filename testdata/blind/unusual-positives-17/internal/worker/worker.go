// Package worker runs typed jobs from a channel with per-job timeouts.
package worker

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"time"
)

// Job is one unit of work.
type Job[T any] struct {
	ID      string
	Payload T
}

// Worker processes jobs with handle.
type Worker[T any] struct {
	base    context.Context
	timeout time.Duration
	handle  func(context.Context, Job[T]) error
	onStart func(worker int)
	logger  *log.Logger
}

// New returns a worker. onStart may be nil.
func New[T any](base context.Context, timeout time.Duration, handle func(context.Context, Job[T]) error, onStart func(int), logger *log.Logger) *Worker[T] {
	if onStart == nil {
		onStart = func(int) {}
	}
	return &Worker[T]{base: base, timeout: timeout, handle: handle, onStart: onStart, logger: logger}
}

// Run processes jobs until the channel is closed.
func (w *Worker[T]) Run(jobs <-chan Job[T]) {
	for job := range jobs {
		ctx, cancel := context.WithTimeout(w.base, w.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := w.process(ctx, job); err != nil {
			w.logger.Printf("job %s: %v", job.ID, err)
		}
	}
}

// RunScoped processes jobs until the channel is closed; each job's timeout
// is released at the end of its own function literal.
func (w *Worker[T]) RunScoped(jobs <-chan Job[T]) {
	for job := range jobs {
		func() {
			ctx, cancel := context.WithTimeout(w.base, w.timeout)
			defer cancel()
			if err := w.processSafe(ctx, job); err != nil {
				w.logger.Printf("job %s: %v", job.ID, err)
			}
		}()
	}
}

// logPanic logs a recovered panic value, if any.
func (w *Worker[T]) logPanic(id string, r any) {
	if r == nil {
		return
	}
	w.logger.Printf("job %s: panic: %v\n%s", id, r, debug.Stack())
}

// process runs one job and logs a panic in the handler.
func (w *Worker[T]) process(ctx context.Context, job Job[T]) error {
	defer w.logPanic(job.ID, recover()) // HAZ recover-ineffective
	return w.handle(ctx, job)
}

// processSafe runs one job; the deferred literal calls recover itself and
// turns the panic into the returned error.
func (w *Worker[T]) processSafe(ctx context.Context, job Job[T]) (err error) {
	defer func() {
		if r := recover(); r != nil {
			w.logPanic(job.ID, r)
			err = fmt.Errorf("job %s: panic: %v", job.ID, r)
		}
	}()
	return w.handle(ctx, job)
}

// Spawn starts n workers on jobs. Spawn protects itself against a panicking
// onStart hook, and every worker goroutine has its own recover.
func (w *Worker[T]) Spawn(n int, jobs <-chan Job[T]) *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	defer func() {
		if r := recover(); r != nil {
			w.logger.Printf("spawn: onStart hook panicked: %v", r)
		}
	}()
	for i := range n {
		w.onStart(i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					w.logger.Printf("worker %d: panic: %v\n%s", i, r, debug.Stack())
				}
			}()
			w.RunScoped(jobs)
		}()
	}
	return wg
}
