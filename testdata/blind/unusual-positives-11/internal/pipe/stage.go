package pipe

import (
	"context"
	"fmt"
	"log"
	"sync/atomic"
	"time"
)

// Request is one unit of relayed work.
type Request[T any] struct {
	ID   string
	Body T
}

// Worker handles requests with bounded concurrency and periodic flushes.
type Worker[T any] struct {
	reqs    <-chan Request[T]
	acks    chan<- string // unbuffered; read by the supervisor while it runs
	sem     chan struct{}
	handle  func(context.Context, Request[T]) error
	tick    *time.Ticker
	flush   func()
	log     *log.Logger
	dropped atomic.Int64
}

// WorkerOption configures a Worker.
type WorkerOption[T any] func(*Worker[T])

// WithFlush sets the periodic flush and its interval.
func WithFlush[T any](every time.Duration, fn func()) WorkerOption[T] {
	return func(w *Worker[T]) {
		if fn != nil && every > 0 {
			w.flush, w.tick = fn, time.NewTicker(every)
		}
	}
}

// WithConcurrency bounds the requests handled at once.
func WithConcurrency[T any](n int) WorkerOption[T] {
	return func(w *Worker[T]) {
		if n > 0 {
			w.sem = make(chan struct{}, n)
		}
	}
}

// NewWorker returns a worker reading reqs and acknowledging on acks.
func NewWorker[T any](reqs <-chan Request[T], acks chan<- string, handle func(context.Context, Request[T]) error, logger *log.Logger, opts ...WorkerOption[T]) *Worker[T] {
	w := &Worker[T]{
		reqs:   reqs,
		acks:   acks,
		sem:    make(chan struct{}, 8),
		handle: handle,
		tick:   time.NewTicker(time.Minute),
		flush:  func() {},
		log:    logger,
	}
	for _, o := range opts {
		o(w)
	}
	return w
}

// acquire takes a concurrency slot and returns its release.
func (w *Worker[T]) acquire() func() {
	w.sem <- struct{}{}
	return func() { <-w.sem }
}

// Serve handles requests for the life of the process.
func (w *Worker[T]) Serve() {
	for {
		select {
		case req := <-w.reqs:
			release := w.acquire()
			defer release() // HAZ defer-in-infinite-loop
			if err := w.handle(context.Background(), req); err != nil {
				w.log.Printf("worker: %s: %v", req.ID, err)
			}
		case <-w.tick.C:
			w.flush()
		}
	}
}

// ServeUntil handles requests until ctx ends or reqs is closed; each
// request's slot is released inside its own call.
func (w *Worker[T]) ServeUntil(ctx context.Context) error {
	defer w.tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case req, ok := <-w.reqs:
			if !ok {
				return nil
			}
			if err := w.processAcked(ctx, req); err != nil {
				w.log.Print(err)
			}
		case <-w.tick.C:
			w.flush()
		}
	}
}

// process handles one request and acknowledges it to the supervisor.
func (w *Worker[T]) process(ctx context.Context, req Request[T]) error {
	defer func() { w.acks <- req.ID }() // HAZ defer-blocking-call
	if err := w.handle(ctx, req); err != nil {
		return fmt.Errorf("worker: request %s: %w", req.ID, err)
	}
	return nil
}

// processAcked is process with a non-blocking acknowledgement.
func (w *Worker[T]) processAcked(ctx context.Context, req Request[T]) error {
	release := w.acquire()
	defer release()
	defer func() {
		select {
		case w.acks <- req.ID:
		default:
			w.dropped.Add(1)
		}
	}()
	if err := w.handle(ctx, req); err != nil {
		return fmt.Errorf("worker: request %s: %w", req.ID, err)
	}
	return nil
}

// Drain handles whatever is queued right now, then returns.
func (w *Worker[T]) Drain(ctx context.Context) int {
	n := 0
	for {
		select {
		case req := <-w.reqs:
			if err := w.process(ctx, req); err != nil {
				w.log.Print(err)
			}
			n++
		default:
			return n
		}
	}
}
