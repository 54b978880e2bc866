// Package guard turns panics into errors and supervises goroutines.
package guard

import (
	"errors"
	"fmt"
	"log"
	"runtime/debug"
)

// ErrSkip may be panicked by hooks that want to abort quietly.
var ErrSkip = errors.New("guard: skip")

// PanicError wraps a recovered panic value with its stack.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Capture turns a panic into an error stored in *errp. Defer it directly:
//
//	defer guard.Capture(&err)
func Capture(errp *error) {
	if r := recover(); r != nil {
		*errp = &PanicError{Value: r, Stack: debug.Stack()}
	}
}

// ignorePanics is deferred by best-effort callbacks.
func ignorePanics() {
	recover() // HAZ recover-swallows-panic
}

// BestEffort runs every fn; one failing callback does not stop the others.
func BestEffort(fns ...func()) {
	for _, fn := range fns {
		func() {
			defer ignorePanics()
			fn()
		}()
	}
}

// Call runs fn and converts a panic into an error, logging it once.
func Call(name string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("%s: recovered: %v", name, r)
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn()
}

// Skippable runs a hook that may abort itself by panicking with ErrSkip.
func Skippable(hook func()) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			if e, ok := r.(error); ok && errors.Is(e, ErrSkip) {
				return
			}
		}
	}()
	hook()
}

// SkippableStrict re-panics anything that is not ErrSkip.
func SkippableStrict(hook func()) (skipped bool) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if e, ok := r.(error); ok && errors.Is(e, ErrSkip) {
			skipped = true
			return
		}
		panic(r)
	}()
	hook()
	return false
}
