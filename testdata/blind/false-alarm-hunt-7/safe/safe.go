// Package safe contains panic-containment helpers for goroutines and
// callbacks.
package safe

import (
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
)

// PanicError carries a recovered panic value and the stack where it
// happened.
type PanicError struct {
	Value any
	Stack []byte
}

// Error implements error.
func (p *PanicError) Error() string { return fmt.Sprintf("panic: %v", p.Value) }

// Unwrap returns the panic value if it was an error.
func (p *PanicError) Unwrap() error {
	if err, ok := p.Value.(error); ok {
		return err
	}
	return nil
}

// IsPanic reports whether err came from a recovered panic.
func IsPanic(err error) bool {
	var p *PanicError
	return errors.As(err, &p)
}

// Recover stores a recovered panic in *errp. It must be deferred directly:
//
//	defer safe.Recover(&err)
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = &PanicError{Value: r, Stack: debug.Stack()}
	}
}

// LogPanic logs and absorbs a panic in a background task whose failure
// must not take the process down. It must be deferred directly.
func LogPanic(name string) {
	if r := recover(); r != nil {
		log.Printf("safe: %s panicked: %v\n%s", name, r, debug.Stack())
	}
}

// Do runs fn and turns a panic into an error.
func Do(fn func() error) (err error) {
	defer Recover(&err)
	return fn()
}

// Go runs fn in a new goroutine with its own recover. onPanic, if non-nil,
// receives the panic as an error; otherwise it is logged.
func Go(name string, fn func(), onPanic func(error)) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				perr := &PanicError{Value: r, Stack: debug.Stack()}
				if onPanic != nil {
					onPanic(perr)
					return
				}
				log.Printf("safe: goroutine %s panicked: %v", name, perr)
			}
		}()
		fn()
	}()
}

// Group runs functions in goroutines, each with its own recover, and
// collects their errors.
type Group struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

// Go starts fn in the group.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := Do(fn); err != nil {
			g.add(err)
		}
	}()
}

func (g *Group) add(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.errs = append(g.errs, err)
}

// Wait waits for every function and returns their joined errors.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return errors.Join(g.errs...)
}

// Call invokes a callback that may be nil or may panic; a panic is logged
// with the callback's name and reported as false.
func Call(name string, fn func()) (ok bool) {
	if fn == nil {
		return true
	}
	defer LogPanic(name)
	fn()
	return true
}

// Must panics with a descriptive message if err is non-nil; for use in
// initialisation code only.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("safe.Must: %v", err))
	}
	return v
}
