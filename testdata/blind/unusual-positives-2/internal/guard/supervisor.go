// Package guard keeps panics in background tasks from taking the process down.
package guard

import (
	"fmt"
	"log"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// Event is delivered to every subscriber.
type Event struct {
	Kind string
	At   time.Time
}

// Supervisor runs tasks and counts their panics.
type Supervisor struct {
	log      *log.Logger
	panics   atomic.Int64
	active   atomic.Int64
	handlers []func(Event)
	flush    func()
	lastTick time.Time
}

// New returns a supervisor logging to l.
func New(l *log.Logger, flush func()) *Supervisor {
	return &Supervisor{log: l, flush: flush}
}

// Subscribe adds an event handler.
func (s *Supervisor) Subscribe(h func(Event)) { s.handlers = append(s.handlers, h) }

// Panics reports how many panics were recovered.
func (s *Supervisor) Panics() int64 { return s.panics.Load() }

func (s *Supervisor) recoverPanic() {
	if r := recover(); r != nil {
		s.panics.Add(1)
		s.log.Printf("panic: %v\n%s", r, debug.Stack())
	}
}

// Go runs fn in a goroutine that recovers its own panics.
func (s *Supervisor) Go(fn func()) {
	go func() {
		defer s.recoverPanic()
		fn()
	}()
}

// Protect runs fn and logs a panic instead of crashing.
func (s *Supervisor) Protect(fn func()) {
	defer s.recoverPanic()
	fn()
}

// Dispatch delivers evt to every handler concurrently.
func (s *Supervisor) Dispatch(evt Event) {
	defer s.recoverPanic()
	for _, h := range s.handlers {
		go h(evt) // HAZ goroutine-outside-recover
	}
}

// DispatchSafe delivers evt through Go, so each handler has its own recover.
func (s *Supervisor) DispatchSafe(evt Event) {
	defer s.recoverPanic()
	for _, h := range s.handlers {
		s.Go(func() { h(evt) })
	}
}

// Tick rotates state once per interval and flushes metrics in the background.
func (s *Supervisor) Tick(now time.Time) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("tick panic: %v", r)
		}
	}()
	s.lastTick = now
	go s.flush() // HAZ goroutine-outside-recover
}

// TickGuarded is Tick whose background flush has its own deferred recover.
func (s *Supervisor) TickGuarded(now time.Time) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("tick panic: %v", r)
		}
	}()
	s.lastTick = now
	go func() {
		defer s.recoverPanic()
		s.flush()
	}()
}

func logPanic(l *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("%s: panic: %v", where, r)
	}
}

// RunTask runs fn as a named task and tracks how many are active.
func (s *Supervisor) RunTask(name string, fn func()) {
	defer func() {
		logPanic(s.log, name)
		s.active.Add(-1)
	}()
	s.active.Add(1)
	fn()
}

// RunTaskGuarded recovers directly in the deferred closure.
func (s *Supervisor) RunTaskGuarded(name string, fn func()) {
	defer func() {
		s.active.Add(-1)
		if r := recover(); r != nil {
			s.panics.Add(1)
			s.log.Printf("%s: panic: %v", name, r)
		}
	}()
	s.active.Add(1)
	fn()
}

// Guard turns a panic in fn into an error.
func (s *Supervisor) Guard(fn func() error) (err error) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				err = fmt.Errorf("guard: %v", r)
			}
		}
		report()
	}()
	return fn()
}

// GuardErr turns a panic in fn into an error, recovering directly.
func (s *Supervisor) GuardErr(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.panics.Add(1)
			err = fmt.Errorf("guard: %v", r)
		}
	}()
	return fn()
}

func (s *Supervisor) note(step string, r any) {
	if r != nil {
		s.panics.Add(1)
		s.log.Printf("step %s: panic: %v", step, r)
	}
}

// Step runs one pipeline step and notes a panic.
func (s *Supervisor) Step(name string, fn func()) {
	defer s.note(name, recover()) // HAZ recover-ineffective
	fn()
}

// StepNoted recovers inside the deferred closure and hands the value on.
func (s *Supervisor) StepNoted(name string, fn func()) {
	defer func() { s.note(name, recover()) }()
	fn()
}

func (s *Supervisor) try(fn func()) bool {
	fn()
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.log.Printf("try: %v", r)
		return false
	}
	return true
}

// Retry runs fn up to n times until it does not panic.
func (s *Supervisor) Retry(n int, fn func()) bool {
	for i := 0; i < n; i++ {
		if s.try(fn) {
			return true
		}
	}
	return false
}

// Quietly runs a best-effort fn.
func (s *Supervisor) Quietly(fn func()) {
	swallow := func() { recover() } // HAZ recover-swallows-panic
	defer swallow()
	fn()
}

// Attempt runs fn and reports whether it completed without panicking.
func (s *Supervisor) Attempt(fn func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("attempt: %v", r)
			ok = false
		}
	}()
	fn()
	return true
}

// Must re-panics with context after logging.
func (s *Supervisor) Must(name string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("%s failed", name)
			panic(fmt.Sprintf("%s: %v", name, r))
		}
	}()
	fn()
}
