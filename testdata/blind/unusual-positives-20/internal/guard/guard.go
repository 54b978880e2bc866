// Package guard keeps panics in plug-in code (hooks, event handlers, jobs)
// from taking the whole tidepool process down.
package guard

import (
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Supervisor recovers panics of the code it runs and counts them.
type Supervisor struct {
	name   string
	logger *log.Logger
	panics atomic.Int64
	once   sync.Once
}

// New returns a Supervisor that logs to logger.
func New(name string, logger *log.Logger) *Supervisor {
	return &Supervisor{name: name, logger: logger}
}

// Panics reports how many panics were recovered so far.
func (s *Supervisor) Panics() int64 { return s.panics.Load() }

// recoverPanic must be deferred directly: defer s.recoverPanic().
func (s *Supervisor) recoverPanic() {
	if r := recover(); r != nil {
		s.panics.Add(1)
		s.logger.Printf("%s: recovered panic: %v\n%s", s.name, r, debug.Stack())
	}
}

// recoverInto must be deferred directly; it turns a panic into *errp.
func (s *Supervisor) recoverInto(errp *error) {
	if r := recover(); r != nil {
		s.panics.Add(1)
		*errp = fmt.Errorf("%s: panic: %v", s.name, r)
	}
}

// Run runs task and recovers a panic in it.
func (s *Supervisor) Run(task func()) {
	defer s.recoverPanic()
	task()
}

// Go runs task in a new goroutine that recovers its own panics.
func (s *Supervisor) Go(task func()) {
	go func() {
		defer s.recoverPanic()
		task()
	}()
}

// RunEach runs the tasks one after the other; a panic in one task does not
// stop the next. The recover method is bound once and deferred as a value.
func (s *Supervisor) RunEach(tasks []func()) {
	rp := s.recoverPanic
	for _, t := range tasks {
		func() {
			defer rp()
			t()
		}()
	}
}

// Protect runs fn and reports a panic in it as an error.
func (s *Supervisor) Protect(fn func() error) (err error) {
	defer s.recoverInto(&err)
	return fn()
}

// note records a recovered value, if there is one.
func (s *Supervisor) note(r any) {
	if r != nil {
		s.panics.Add(1)
		s.logger.Printf("%s: recovered panic: %v", s.name, r)
	}
}

// RunQuiet runs task and records a panic without a stack trace.
func (s *Supervisor) RunQuiet(task func()) {
	defer s.note(recover()) // HAZ recover-ineffective
	task()
}

// capture logs a panic of the named job.
func (s *Supervisor) capture(job string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.panics.Add(1)
		s.logger.Printf("%s: job %s panicked: %v", s.name, job, r)
	}
}

// finish is deferred by RunJob to record the job's end.
func (s *Supervisor) finish(job string, start time.Time) {
	s.capture(job)
	s.logger.Printf("%s: job %s finished after %s", s.name, job, time.Since(start).Round(time.Millisecond))
}

// RunJob runs one named job, logging its duration and any panic.
func (s *Supervisor) RunJob(job string, fn func()) {
	start := time.Now()
	defer s.finish(job, start)
	fn()
}

// ignorePanic is deferred around best-effort hooks.
func (s *Supervisor) ignorePanic() {
	if r := recover(); r != nil { // HAZ recover-swallows-panic
		// hooks are best effort: a broken hook must not stop the pipeline
	}
}

// RunHook runs a best-effort hook.
func (s *Supervisor) RunHook(hook func()) {
	defer s.ignorePanic()
	hook()
}
