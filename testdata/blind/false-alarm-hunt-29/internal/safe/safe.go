// Package safe turns panics into errors at API boundaries.
package safe

import (
	"fmt"
	"runtime/debug"
)

// PanicError is a recovered panic.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("panic: %v", e.Value)
}

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// Do runs fn and returns a *PanicError if it panics.
func Do(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn()
}

// Value is Do for functions that return a value.
func Value[T any](fn func() (T, error)) (v T, err error) {
	defer recoverInto(&err)
	return fn()
}

// recoverInto stores a recovered panic in *errp. It must be deferred
// directly, never called from another deferred function.
func recoverInto(errp *error) {
	if r := recover(); r != nil {
		*errp = &PanicError{Value: r, Stack: debug.Stack()}
	}
}

// Invoke runs the named step fn, reporting a panic as an error that names
// the step.
func Invoke(name string, fn func() error) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: %w", name, &PanicError{Value: r, Stack: debug.Stack()})
		}
	}()
	err = fn()
	return err
}

// Go runs fn in a new goroutine. A panic is handed to onPanic instead of
// crashing the process.
func Go(fn func(), onPanic func(*PanicError)) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				onPanic(&PanicError{Value: r, Stack: debug.Stack()})
			}
		}()
		fn()
	}()
}

// Must re-panics with context when a recovered value is not an error the
// caller expects.
func Must(fn func()) (err error) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		e, ok := r.(error)
		if !ok {
			panic(r)
		}
		err = e
	}()
	fn()
	return nil
}
