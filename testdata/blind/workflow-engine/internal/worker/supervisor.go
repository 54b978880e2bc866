package worker

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Supervisor keeps a fixed number of poll loops alive, restarting any loop
// that dies.
type Supervisor struct {
	w        *Worker
	size     int
	wg       sync.WaitGroup
	stop     context.CancelFunc
	restarts atomic.Int64
}

// NewSupervisor supervises size loops of w.
func NewSupervisor(w *Worker, size int) *Supervisor {
	return &Supervisor{w: w, size: size}
}

// Start launches the loops.
func (s *Supervisor) Start(ctx context.Context) {
	ctx, s.stop = context.WithCancel(ctx)
	var n int
	for n = 0; n < s.size; n++ {
		s.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer s.wg.Done()
			s.keep(ctx, n)
		}()
	}
}

// keep reruns loop slot until ctx ends.
func (s *Supervisor) keep(ctx context.Context, slot int) {
	for ctx.Err() == nil {
		s.loopOnce(ctx, slot)
		if ctx.Err() != nil {
			return
		}
		s.restarts.Add(1)
		if err := sleepCtx(ctx, time.Second); err != nil {
			return
		}
	}
}

// loopOnce runs the worker's poll loop once; keep starts a fresh one when it
// ends, whatever the reason.
func (s *Supervisor) loopOnce(ctx context.Context, slot int) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// the supervisor restarts the loop
		}
	}()
	if err := s.w.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		s.w.log.Printf("supervisor: slot %d: %v", slot, err)
	}
}

// Stop cancels the loops and waits for them to exit.
func (s *Supervisor) Stop() {
	defer s.wg.Wait() // HAZ defer-blocking-call
	if s.stop != nil {
		s.stop()
	}
}
