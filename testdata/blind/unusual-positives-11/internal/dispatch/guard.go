// Package dispatch runs named commands and batches of tasks, with panic
// isolation and tracing.
package dispatch

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// ErrPanic wraps a recovered panic.
var ErrPanic = errors.New("panic")

// Recover converts a panic into an error in *errp. Defer it directly:
//
//	defer dispatch.Recover(&err)
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("%w: %v\n%s", ErrPanic, r, debug.Stack())
	}
}

// SafeCall runs fn and is meant to turn a panic into an error.
func SafeCall[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		convert := func() error {
			if r := recover(); r != nil { // HAZ recover-ineffective
				return fmt.Errorf("%w: %v", ErrPanic, r)
			}
			return nil
		}
		if perr := convert(); perr != nil {
			err = perr
		}
	}()
	return fn()
}

// Try runs fn with a panic turned into an error by the directly deferred
// Recover helper.
func Try[T any](fn func() (T, error)) (v T, err error) {
	defer Recover(&err)
	return fn()
}

// TryInline is Try with the recover in the deferred literal itself, and the
// panic re-raised when it is not an error value.
func TryInline[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if e, ok := r.(error); ok {
			err = fmt.Errorf("%w: %w", ErrPanic, e)
			return
		}
		panic(r)
	}()
	return fn()
}

// quietly returns a func that, deferred, stops a panic from propagating.
func quietly() func() {
	return func() {
		recover() // HAZ recover-swallows-panic
	}
}

// BestEffort runs fn, ignoring any failure: used for optional warm-ups.
func BestEffort(fn func()) {
	defer quietly()()
	fn()
}

// logged returns a deferred func that recovers, logs and re-panics so the
// crash still happens with the context attached.
func logged(logf func(string, ...any), what string) func() {
	return func() {
		if r := recover(); r != nil {
			logf("%s: panic: %v", what, r)
			panic(r)
		}
	}
}

// Annotated runs fn and logs which step panicked before the crash.
func Annotated(logf func(string, ...any), what string, fn func()) {
	defer logged(logf, what)()
	fn()
}
