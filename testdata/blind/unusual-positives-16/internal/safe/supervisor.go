// Package safe runs tasks so that a panic becomes an error instead of a crash.
package safe

import (
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
)

// Supervisor converts panics of the tasks it runs into errors and counts them.
type Supervisor struct {
	Log    *log.Logger
	mu     sync.Mutex
	panics int
}

// New returns a Supervisor logging to l.
func New(l *log.Logger) *Supervisor {
	return &Supervisor{Log: l}
}

// Panics returns the number of panics seen so far.
func (s *Supervisor) Panics() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.panics
}

func (s *Supervisor) note(name string, r any) {
	s.mu.Lock()
	s.panics++
	s.mu.Unlock()
	s.Log.Printf("task %s panicked: %v\n%s", name, r, debug.Stack())
}

// capture is deferred by the runners below; it stops the panic and stores it in *errp.
func (s *Supervisor) capture(name string, errp *error) {
	r := recover()
	if r == nil {
		return
	}
	s.note(name, r)
	if errp != nil {
		*errp = fmt.Errorf("%s: panic: %v", name, r)
	}
}

// Do runs fn and turns a panic into an error.
func (s *Supervisor) Do(name string, fn func() error) (err error) {
	defer s.capture(name, &err)
	return fn()
}

// Run is the function form of Do, for call sites that pass the supervisor around explicitly.
func Run(s *Supervisor, name string, fn func() error) (err error) {
	defer (*Supervisor).capture(s, name, &err)
	return fn()
}

// Protect wraps fn so that calling the result never panics.
func (s *Supervisor) Protect(name string, fn func()) func() {
	return func() {
		var err error
		onPanic := s.capture
		defer onPanic(name, &err)
		fn()
	}
}

// report logs a panic value that was recovered elsewhere.
func (s *Supervisor) report(name string, r any) {
	if r != nil {
		s.note(name, r)
	}
}

// Guard runs fn and logs a panic instead of crashing.
func (s *Supervisor) Guard(name string, fn func()) {
	defer s.report(name, recover()) // HAZ recover-ineffective
	fn()
}

// Step runs one pipeline step and turns a panic into an error.
func (s *Supervisor) Step(name string, fn func() error) (err error) {
	defer func() {
		if perr := s.asError(name); perr != nil {
			err = perr
		}
	}()
	return fn()
}

func (s *Supervisor) asError(name string) error {
	r := recover() // HAZ recover-ineffective
	if r == nil {
		return nil
	}
	s.note(name, r)
	return fmt.Errorf("%s: panic: %v", name, r)
}

// Fan calls fn for every item concurrently and joins their errors.
func (s *Supervisor) Fan(name string, items []string, fn func(string) error) (err error) {
	defer s.capture(name, &err)
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			errs[i] = fn(it)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// FanSafe is Fan with every goroutine supervised on its own.
func (s *Supervisor) FanSafe(name string, items []string, fn func(string) error) (err error) {
	defer s.capture(name, &err)
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.capture(name+"/"+it, &errs[i])
			errs[i] = fn(it)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Go starts fn in a supervised goroutine and signals done when it ends.
func (s *Supervisor) Go(name string, fn func(), done *sync.WaitGroup) {
	done.Add(1)
	go func() {
		defer done.Done()
		defer s.capture(name, nil)
		fn()
	}()
}
