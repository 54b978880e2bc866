// Package supervise runs background tasks, restarts them when they fail and
// turns their panics into log lines.
package supervise

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/legacystyle/internal/logx"
)

// Supervisor restarts a task with a pause between attempts.
type Supervisor struct {
	name        string
	lg          *logx.Logger
	backoff     time.Duration
	maxRestarts int

	restarts int64        // atomic
	onCrash  atomic.Value // of CrashFunc
}

// CrashFunc is told about every recovered panic.
type CrashFunc func(name string, v interface{})

// New returns a Supervisor.
func New(name string, lg *logx.Logger, backoff time.Duration, maxRestarts int) *Supervisor {
	return &Supervisor{name: name, lg: lg, backoff: backoff, maxRestarts: maxRestarts}
}

// OnCrash sets the crash callback.
func (s *Supervisor) OnCrash(fn CrashFunc) {
	s.onCrash.Store(fn)
}

// crash records a panic value and calls the callback; it takes no lock so
// that it is safe to call from deferred functions.
func (s *Supervisor) crash(v interface{}) {
	atomic.AddInt64(&s.restarts, 1)
	cb, _ := s.onCrash.Load().(CrashFunc)
	s.lg.Infof("%s: panic: %v\n%s", s.name, v, debug.Stack())
	if cb != nil {
		cb(s.name, v)
	}
}

// handlePanic is meant to be deferred directly: defer s.handlePanic().
func (s *Supervisor) handlePanic() {
	if r := recover(); r != nil {
		s.crash(r)
	}
}

// Safe runs fn and returns its panic as an error.
func (s *Supervisor) Safe(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: panic: %v", s.name, r)
		}
	}()
	return fn()
}

// Run calls fn until stop is closed or it failed maxRestarts times.
func (s *Supervisor) Run(fn func() error, stop <-chan struct{}) error {
	failures := 0
	for {
		err := s.Safe(fn)
		if err == nil {
			return nil
		}
		failures++
		s.lg.Infof("%s: attempt %d failed: %v", s.name, failures, err)
		if failures > s.maxRestarts {
			return err
		}
		select {
		case <-stop:
			return err
		case <-time.After(s.backoff):
		}
	}
}

// Go runs fn on a goroutine that recovers its own panics.
func (s *Supervisor) Go(fn func()) {
	go func() {
		defer s.handlePanic()
		fn()
	}()
}

// GoAll runs each fn on a protected goroutine and waits for all of them.
func (s *Supervisor) GoAll(fns []func()) {
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Add(1)
		go func(fn func()) {
			defer wg.Done()
			defer s.handlePanic()
			fn()
		}(fn)
	}
	wg.Wait()
}

// Restarts reports how many panics were seen.
func (s *Supervisor) Restarts() int {
	return int(atomic.LoadInt64(&s.restarts))
}

// logPanic logs the value of a panic in progress.
func logPanic(lg *logx.Logger) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		lg.Infof("recovered: %v", r)
	}
}

// RunOnce runs fn once and logs a panic instead of crashing.
func (s *Supervisor) RunOnce(fn func()) {
	defer func() {
		logPanic(s.lg)
	}()
	fn()
}

// Guard runs fn and reports a panic to the crash callback.
func (s *Supervisor) Guard(fn func()) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				s.crash(r)
			}
		}
		report()
	}()
	fn()
}

// Protect runs fn and reports a panic to the crash callback; recover is
// called directly by the deferred function.
func (s *Supervisor) Protect(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			s.crash(r)
		}
	}()
	fn()
}

// BestEffort runs a cleanup step whose failure must not stop shutdown.
func BestEffort(fn func()) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	fn()
}

// BestEffortLogged is BestEffort that at least logs what went wrong.
func BestEffortLogged(lg *logx.Logger, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			lg.Infof("best effort step failed: %v", r)
		}
	}()
	fn()
}

// Tick runs one periodic step.
func (s *Supervisor) Tick(step func()) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a failed tick is retried on the next one
		}
	}()
	step()
}

// TickOrDie runs one periodic step and re-panics after logging.
func (s *Supervisor) TickOrDie(step func()) {
	defer func() {
		if r := recover(); r != nil {
			s.lg.Infof("%s: tick failed: %v", s.name, r)
			panic(r)
		}
	}()
	step()
}

// Spawn starts the helpers of a task; a panic while starting them is logged.
func (s *Supervisor) Spawn(helpers []func()) {
	defer s.handlePanic()
	for _, h := range helpers {
		go func(h func()) { // HAZ goroutine-outside-recover
			h()
		}(h)
	}
}

// SpawnSafe is Spawn where every helper goroutine recovers on its own.
func (s *Supervisor) SpawnSafe(helpers []func()) {
	defer s.handlePanic()
	for _, h := range helpers {
		go func(h func()) {
			defer s.handlePanic()
			h()
		}(h)
	}
}
