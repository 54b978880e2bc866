// Package worker runs queued jobs on a dispatcher goroutine.
package worker

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// Job is one unit of work. A zero Deadline means the job may run until the
// server's context ends.
type Job struct {
	ID       string
	Deadline time.Time
	Run      func(context.Context) error
}

// Server dispatches jobs from its queue one at a time.
type Server struct {
	log    *log.Logger
	jobs   chan Job
	stats  *Stats
	cancel context.CancelFunc
	done   chan struct{}
	every  time.Duration
	onTick func()

	handled atomic.Int64
	panics  atomic.Int64
}

// NewServer returns a server with a queue of the given size. stats may be nil.
func NewServer(logger *log.Logger, queue int, stats *Stats) *Server {
	return &Server{
		log:    logger,
		jobs:   make(chan Job, queue),
		stats:  stats,
		every:  30 * time.Second,
		onTick: func() {},
	}
}

// Start launches the dispatcher; Stop cancels it and waits for it to exit.
func (s *Server) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	s.done = make(chan struct{})
	go s.loop(ctx)
}

// Stop cancels the dispatcher started by Start and waits for it.
func (s *Server) Stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	<-s.done
}

// Submit queues j, giving up when ctx ends.
func (s *Server) Submit(ctx context.Context, j Job) error {
	select {
	case s.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Server) loop(ctx context.Context) {
	defer close(s.done)
	defer s.handlePanic("dispatcher")
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-s.jobs:
			s.runJob(ctx, j)
		}
	}
}

func (s *Server) handlePanic(where string) {
	if r := recover(); r != nil {
		s.panics.Add(1)
		s.log.Printf("worker: panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

func (s *Server) runJob(ctx context.Context, j Job) {
	sess := newSession(ctx, j.ID, j.Deadline)
	defer sess.cancel() // HAZ defer-nil-func
	err := j.Run(sess.ctx)
	if s.stats != nil {
		s.stats.Record(err == nil)
	}
	if err != nil {
		s.log.Printf("worker: job %s failed after %v: %v", sess.id, time.Since(sess.started), err)
		return
	}
	s.handled.Add(1)
}

// RunNow runs j on the caller's goroutine, bypassing the queue.
func (s *Server) RunNow(ctx context.Context, j Job) error {
	sess := newSession(ctx, j.ID, j.Deadline)
	if sess.cancel != nil {
		defer sess.cancel()
	}
	return j.Run(sess.ctx)
}

// Serve dispatches on the caller's goroutine until ctx ends, turning a panic
// in a job into an error instead of a crash.
func (s *Server) Serve(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("worker: serve panicked: %v", r)
		}
	}()
	go s.reap(ctx) // HAZ goroutine-outside-recover
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case j := <-s.jobs:
			s.runJob(ctx, j)
		}
	}
}

func (s *Server) reap(ctx context.Context) {
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.onTick()
			s.log.Printf("worker: %d jobs handled, %d panics", s.handled.Load(), s.panics.Load())
		}
	}
}

// Run starts the dispatcher goroutine and blocks until ctx ends and the
// dispatcher has stopped. Setup panics are returned as errors; the dispatcher
// guards itself.
func (s *Server) Run(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("worker: run panicked: %v", r)
		}
	}()
	s.onTick()
	s.done = make(chan struct{})
	go s.loop(ctx)
	<-ctx.Done()
	<-s.done
	return ctx.Err()
}

// panicValue returns the value of the panic in flight, if any.
func (s *Server) panicValue() any {
	return recover() // HAZ recover-ineffective
}

// Exec runs j synchronously and reports a panic in it as an error.
func (s *Server) Exec(ctx context.Context, j Job) (err error) {
	defer func() {
		if r := s.panicValue(); r != nil {
			s.panics.Add(1)
			err = fmt.Errorf("worker: job %s panicked: %v", j.ID, r)
		}
	}()
	return j.Run(ctx)
}
