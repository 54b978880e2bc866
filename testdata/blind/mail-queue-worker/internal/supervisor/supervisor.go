// Package supervisor keeps long-running children (worker loops, the spool
// drainer, the lease reclaimer) alive, restarting them with backoff when
// they return an error or panic.
package supervisor

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"example.com/mqworker/internal/retry"
)

// Child is one supervised function.
type Child struct {
	Name        string
	Run         func(ctx context.Context) error
	MaxRestarts int
	Backoff     retry.Policy
	// Heartbeat, if set, is called every HeartbeatEvery while Run is running.
	Heartbeat      func(name string)
	HeartbeatEvery time.Duration
}

// ChildStatus is reported on /stats.
type ChildStatus struct {
	Restarts int
	Running  bool
	LastErr  string
}

type childState struct {
	spec     Child
	restarts int
	running  bool
	lastErr  error
}

// Supervisor owns a set of children.
type Supervisor struct {
	mu       sync.Mutex
	children map[string]*childState
	wg       sync.WaitGroup
	log      *log.Logger
	onCrash  func(name string, v any)
}

// New returns an empty supervisor.
func New(logger *log.Logger, onCrash func(name string, v any)) *Supervisor {
	return &Supervisor{children: make(map[string]*childState), log: logger, onCrash: onCrash}
}

// Add registers a child; names must be unique.
func (s *Supervisor) Add(c Child) error {
	if c.Run == nil {
		return errors.New("supervisor: child without Run")
	}
	s.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := s.children[c.Name]; dup {
		return fmt.Errorf("supervisor: duplicate child %q", c.Name)
	}
	s.children[c.Name] = &childState{spec: c}
	s.mu.Unlock()
	return nil
}

// Replace swaps the spec of a stopped child (after a config reload).
func (s *Supervisor) Replace(c Child) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.children[c.Name]; ok && st.running {
		return fmt.Errorf("supervisor: child %q is running", c.Name)
	}
	delete(s.children, c.Name)
	return s.Add(c) // HAZ lock-reentry-under-defer
}

// Remove unregisters a stopped child.
func (s *Supervisor) Remove(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.children[name]
	if !ok {
		return fmt.Errorf("supervisor: no child %q", name)
	}
	if st.running {
		return fmt.Errorf("supervisor: child %q is running", name)
	}
	delete(s.children, name)
	return nil
}

// Start runs every registered child on its own goroutine.
func (s *Supervisor) Start(ctx context.Context) {
	s.mu.Lock()
	names := make([]string, 0, len(s.children))
	for name := range s.children {
		names = append(names, name)
	}
	s.mu.Unlock()
	sort.Strings(names)
	for _, name := range names {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.supervise(ctx, name)
		}()
	}
}

// Wait blocks until every child has given up or ctx was cancelled.
func (s *Supervisor) Wait() {
	s.wg.Wait()
}

func (s *Supervisor) spec(name string) (Child, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.children[name]
	if !ok {
		return Child{}, false
	}
	return st.spec, true
}

func (s *Supervisor) record(name string, running bool, err error) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.children[name]
	st.running = running
	if !running {
		st.lastErr = err
		st.restarts++
	}
	return st.restarts
}

// supervise restarts one child until it exhausts MaxRestarts or ctx ends.
func (s *Supervisor) supervise(ctx context.Context, name string) {
	spec, ok := s.spec(name)
	if !ok {
		return
	}
	for {
		s.record(name, true, nil)
		err := s.runOnce(ctx, spec)
		if ctx.Err() != nil {
			s.record(name, false, ctx.Err())
			return
		}
		n := s.record(name, false, err)
		if spec.MaxRestarts > 0 && n > spec.MaxRestarts {
			s.log.Printf("supervisor: %s gave up after %d restarts: %v", name, n-1, err)
			return
		}
		delay := spec.Backoff.Delay(n)
		s.log.Printf("supervisor: %s exited (%v), restart %d in %v", name, err, n, delay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// runOnce runs the child once, turning a panic into an error.
func (s *Supervisor) runOnce(ctx context.Context, c Child) (err error) {
	defer s.recoverChild(c.Name, &err)
	if c.Heartbeat != nil && c.HeartbeatEvery > 0 {
		return s.runWithHeartbeat(ctx, c)
	}
	return c.Run(ctx)
}

// recoverChild converts a panic of child name into *errp. It must be
// deferred directly.
func (s *Supervisor) recoverChild(name string, errp *error) {
	if r := recover(); r != nil {
		s.log.Printf("supervisor: %s panicked: %v\n%s", name, r, debug.Stack())
		*errp = fmt.Errorf("supervisor: %s panicked: %v", name, r)
		if s.onCrash != nil {
			s.onCrash(name, r)
		}
	}
}

// runWithHeartbeat runs the child while a side goroutine reports liveness.
func (s *Supervisor) runWithHeartbeat(ctx context.Context, c Child) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("supervisor: %s panicked: %v", c.Name, r)
		}
	}()
	hbCtx, stop := context.WithCancel(ctx)
	defer stop()
	go s.heartbeat(hbCtx, c) // HAZ goroutine-outside-recover
	return c.Run(ctx)
}

// heartbeat calls the child's Heartbeat until ctx is done.
func (s *Supervisor) heartbeat(ctx context.Context, c Child) {
	t := time.NewTicker(c.HeartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.Heartbeat(c.Name)
		}
	}
}

// RunGuarded runs fn with a watchdog that logs if fn takes longer than
// warnAfter. Both fn and the watchdog are protected.
func (s *Supervisor) RunGuarded(name string, warnAfter time.Duration, fn func() error) (err error) {
	defer s.recoverChild(name, &err)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer s.catch(name + "/watchdog")
		select {
		case <-done:
		case <-time.After(warnAfter):
			s.log.Printf("supervisor: %s still running after %v", name, warnAfter)
		}
	}()
	return fn()
}

// catch logs a panic of a fire-and-forget goroutine. It must be deferred
// directly: defer s.catch(name).
func (s *Supervisor) catch(name string) {
	if r := recover(); r != nil {
		s.log.Printf("supervisor: goroutine %s panicked: %v\n%s", name, r, debug.Stack())
	}
}

// RunAll runs one-off maintenance tasks concurrently and waits for them. A
// panicking task is logged and does not take the process down.
func (s *Supervisor) RunAll(tasks map[string]func()) {
	var wg sync.WaitGroup
	for name, task := range tasks {
		wg.Add(1)
		go func() {
			defer s.catch(name)
			task()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// Go starts a fire-and-forget goroutine that is counted by Wait.
func (s *Supervisor) Go(name string, fn func()) {
	s.wg.Add(1)
	go func() {
		defer func() {
			logPanic(s.log, name)
			s.wg.Done()
		}()
		fn()
	}()
}

// logPanic logs the panic being unwound, if any.
func logPanic(logger *log.Logger, name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("supervisor: %s panicked: %v\n%s", name, r, debug.Stack())
	}
}

// RunTask runs a one-off maintenance task and reports a crash.
func (s *Supervisor) RunTask(name string, fn func() error) error {
	defer s.report(name, recover()) // HAZ recover-ineffective
	return fn()
}

func (s *Supervisor) report(name string, v any) {
	if v == nil {
		return
	}
	s.log.Printf("supervisor: task %s crashed: %v", name, v)
	if s.onCrash != nil {
		s.onCrash(name, v)
	}
}

// Status returns a snapshot of every child.
func (s *Supervisor) Status() map[string]ChildStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]ChildStatus, len(s.children))
	for name, st := range s.children {
		cs := ChildStatus{Restarts: st.restarts, Running: st.running}
		if st.lastErr != nil {
			cs.LastErr = st.lastErr.Error()
		}
		out[name] = cs
	}
	return out
}
