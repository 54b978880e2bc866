// Package supervise keeps background tasks of the cache daemon from taking
// the process down.
package supervise

import (
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Supervisor converts panics of the functions it runs into log lines. Its
// recovery handler lives in a struct field and is deferred through it.
type Supervisor struct {
	name    string
	log     *log.Logger
	onPanic func()
	panics  atomic.Int64
}

// New returns a supervisor logging to lg.
func New(name string, lg *log.Logger) *Supervisor {
	s := &Supervisor{name: name, log: lg}
	s.onPanic = func() {
		if r := recover(); r != nil {
			s.panics.Add(1)
			s.log.Printf("%s: recovered panic: %v\n%s", s.name, r, debug.Stack())
		}
	}
	return s
}

// Do runs fn, logging instead of crashing if it panics.
func (s *Supervisor) Do(fn func()) {
	defer s.onPanic()
	fn()
}

// Panics returns how many panics were recovered.
func (s *Supervisor) Panics() int64 { return s.panics.Load() }

// Fanout runs fns concurrently and waits for them.
func (s *Supervisor) Fanout(fns []func()) {
	defer s.onPanic() // HAZ goroutine-outside-recover
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn()
		}()
	}
	wg.Wait()
}

// SafeFanout is Fanout where every goroutine runs its function through Do,
// which carries its own deferred recover.
func (s *Supervisor) SafeFanout(fns []func()) {
	defer s.onPanic()
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Do(fn)
		}()
	}
	wg.Wait()
}

// Runner runs tasks and counts the ones that panicked. Its catch field is
// the deferred handler.
type Runner struct {
	log      *log.Logger
	catch    func()
	failures atomic.Int64
}

// NewRunner returns a runner logging to lg.
func NewRunner(lg *log.Logger) *Runner {
	r := &Runner{log: lg}
	r.catch = func() { r.report() }
	return r
}

func (r *Runner) report() {
	if p := recover(); p != nil { // HAZ recover-ineffective
		r.failures.Add(1)
		r.log.Printf("runner: task panicked: %v", p)
	}
}

// Run runs task under the runner's panic handler.
func (r *Runner) Run(name string, task func() error) error {
	defer r.catch()
	r.log.Printf("runner: start %s", name)
	return task()
}

// Quiet runs metrics callbacks that must never take the server down.
type Quiet struct {
	shield func()
	calls  atomic.Int64
}

// NewQuiet returns a Quiet whose shield is deferred around every callback.
func NewQuiet() *Quiet {
	q := &Quiet{}
	q.shield = func() {
		_ = recover() // HAZ recover-swallows-panic
	}
	return q
}

// Try runs fn behind the shield.
func (q *Quiet) Try(fn func()) {
	defer q.shield()
	q.calls.Add(1)
	fn()
}

// Task is a named unit of work with a panic hook.
type Task struct {
	Name    string
	Run     func() error
	OnPanic func(v any)
}

// NewTask returns a task whose panic hook logs to lg.
func NewTask(name string, run func() error, lg *log.Logger) *Task {
	return &Task{
		Name: name,
		Run:  run,
		OnPanic: func(v any) {
			if v != nil {
				lg.Printf("task %s: panic: %v", name, v)
			}
		},
	}
}

// Exec runs the task and hands a panic value to OnPanic.
func (t *Task) Exec() error {
	defer t.OnPanic(recover()) // HAZ recover-ineffective
	return t.Run()
}

// ExecSafe hands the panic value to OnPanic from a deferred closure that calls
// recover itself, and turns the panic into an error.
func (t *Task) ExecSafe() (err error) {
	defer func() {
		if v := recover(); v != nil {
			t.OnPanic(v)
			err = fmt.Errorf("task %s panicked: %v", t.Name, v)
		}
	}()
	return t.Run()
}

// handlePanic converts a panic into an error stored through errp. It is meant
// to be deferred directly.
func handlePanic(name string, errp *error) {
	if v := recover(); v != nil {
		*errp = fmt.Errorf("%s: panic: %v", name, v)
	}
}

// Protected runs fn and returns its panic as an error.
func Protected(name string, fn func() error) (err error) {
	defer handlePanic(name, &err)
	return fn()
}
