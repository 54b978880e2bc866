// Package supervise runs background tasks and turns their panics into logs
// and errors.
package supervise

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/up23/internal/syncx"
)

// state is the mutable part of the supervisor, behind an embedded mutex.
type state struct {
	syncx.Guarded
	lastPanic string
	restarts  map[string]int
}

// Supervisor runs named tasks.
type Supervisor struct {
	log     *log.Logger
	panics  atomic.Int64
	running atomic.Int64
	wg      sync.WaitGroup
	state   state
}

// New returns a supervisor logging to logger.
func New(logger *log.Logger) *Supervisor {
	return &Supervisor{log: logger, state: state{restarts: make(map[string]int)}}
}

// Panics returns how many panics were recovered.
func (s *Supervisor) Panics() int64 { return s.panics.Load() }

// LastPanic returns the message of the most recent recorded panic.
func (s *Supervisor) LastPanic() string {
	var msg string
	s.state.With(func() { msg = s.state.lastPanic })
	return msg
}

// recoverInto converts a panic into an error stored in *errp.
func (s *Supervisor) recoverInto(name string, errp *error) {
	if r := recover(); r != nil {
		s.panics.Add(1)
		s.log.Printf("task %s panicked: %v\n%s", name, r, debug.Stack())
		*errp = fmt.Errorf("task %s panicked: %v", name, r)
	}
}

// recoverPanic logs and counts a panic.
func (s *Supervisor) recoverPanic(name string) {
	if r := recover(); r != nil {
		s.panics.Add(1)
		s.log.Printf("task %s panicked: %v\n%s", name, r, debug.Stack())
	}
}

// logPanic logs a panic of a supervised goroutine.
func (s *Supervisor) logPanic(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.panics.Add(1)
		s.log.Printf("goroutine %s panicked: %v", name, r)
	}
}

// track counts name as running until the returned function is called.
func (s *Supervisor) track(name string) func() {
	s.running.Add(1)
	s.log.Printf("task %s started", name)
	return func() {
		s.running.Add(-1)
		s.log.Printf("task %s finished", name)
	}
}

// Running returns the number of tasks currently running.
func (s *Supervisor) Running() int64 { return s.running.Load() }

// RunTracked runs fn and counts it as running meanwhile.
func (s *Supervisor) RunTracked(name string, fn func() error) (err error) {
	defer s.recoverInto(name, &err)
	defer s.track(name) // HAZ defer-func-result-not-called
	return fn()
}

// RunCounted is RunTracked with the returned function deferred.
func (s *Supervisor) RunCounted(name string, fn func() error) (err error) {
	defer s.recoverInto(name, &err)
	defer s.track(name)()
	return fn()
}

// Run runs fn and converts a panic into an error.
func (s *Supervisor) Run(name string, fn func() error) (err error) {
	defer s.recoverInto(name, &err)
	return fn()
}

// Try runs fn and converts a panic into an error.
func (s *Supervisor) Try(name string, fn func()) (err error) {
	guard := s.recoverInto
	defer guard(name, &err)
	fn()
	return nil
}

// Go starts fn as a supervised goroutine.
func (s *Supervisor) Go(name string, fn func()) {
	s.running.Add(1)
	s.wg.Add(1)
	go func() {
		defer func() {
			s.logPanic(name)
			s.running.Add(-1)
			s.wg.Done()
		}()
		fn()
	}()
}

// GoSafe starts fn as a goroutine that logs its panics.
func (s *Supervisor) GoSafe(name string, fn func()) {
	s.running.Add(1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer s.running.Add(-1)
		defer s.recoverPanic(name)
		fn()
	}()
}

// Wait blocks until all goroutines started by Go and GoSafe have returned.
func (s *Supervisor) Wait() { s.wg.Wait() }

// RunLogged runs fn and logs when it exits.
func (s *Supervisor) RunLogged(name string, fn func()) {
	defer s.log.Printf("task %s exited (panic: %v)", name, recover()) // HAZ recover-ineffective
	fn()
}

// RunRecorded runs fn and remembers the message of a panic for LastPanic.
func (s *Supervisor) RunRecorded(name string, fn func()) {
	defer func() {
		s.state.With(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				s.state.lastPanic = fmt.Sprintf("%s: %v", name, r)
			}
		})
	}()
	fn()
}

// RunRestarting runs fn, restarting it after a panic up to max times.
func (s *Supervisor) RunRestarting(name string, max int, fn func()) error {
	for attempt := 0; ; attempt++ {
		err := s.Try(name, fn)
		if err == nil {
			return nil
		}
		s.state.With(func() { s.state.restarts[name]++ })
		if attempt >= max {
			return fmt.Errorf("giving up after %d restarts: %w", attempt, err)
		}
		time.Sleep(syncx.Backoff(100*time.Millisecond, 5*time.Second, attempt))
	}
}

// heartbeat calls beat every interval until ctx is done.
func (s *Supervisor) heartbeat(ctx context.Context, name string, every time.Duration, beat func() error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := beat(); err != nil {
				s.log.Printf("task %s heartbeat: %v", name, err)
			}
		}
	}
}

// RunWithHeartbeat runs fn while beat reports liveness every interval.
func (s *Supervisor) RunWithHeartbeat(ctx context.Context, name string, every time.Duration, beat func() error, fn func() error) (err error) {
	defer s.recoverInto(name, &err)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.heartbeat(ctx, name, every, beat) // HAZ goroutine-outside-recover
	return fn()
}

// RunWithWatchdog runs fn while a watchdog logs if it runs longer than limit.
func (s *Supervisor) RunWithWatchdog(name string, limit time.Duration, fn func() error) (err error) {
	defer s.recoverInto(name, &err)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer s.recoverPanic(name + "/watchdog")
		select {
		case <-done:
		case <-time.After(limit):
			s.log.Printf("task %s still running after %s", name, limit)
		}
	}()
	return fn()
}

// spawn runs f on its own goroutine.
func spawn(f func()) {
	go f()
}

// RunAll runs every task concurrently and joins their errors.
func (s *Supervisor) RunAll(tasks map[string]func() error) (err error) {
	defer s.recoverInto("run-all", &err)
	errs := make(chan error, len(tasks))
	for _, task := range tasks {
		spawn(func() { errs <- task() }) // HAZ goroutine-outside-recover
	}
	var all []error
	for range tasks {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}

// RunAllGuarded is RunAll with every task run under its own recover.
func (s *Supervisor) RunAllGuarded(tasks map[string]func() error) (err error) {
	defer s.recoverInto("run-all", &err)
	errs := make(chan error, len(tasks))
	for name, task := range tasks {
		spawn(func() { errs <- s.Run(name, task) })
	}
	var all []error
	for range tasks {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}
