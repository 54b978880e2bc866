// Package safe holds the relay's panic-handling helpers.
package safe

import (
	"fmt"
	"log"
	"runtime/debug"
)

// Recover turns a panic into an error stored in *errp. It must be deferred
// directly: `defer safe.Recover(&err)`.
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = AsError(r)
	}
}

// AsError converts a recovered value into an error carrying the stack.
func AsError(r any) error {
	if err, ok := r.(error); ok {
		return fmt.Errorf("panic: %w\n%s", err, debug.Stack())
	}
	return fmt.Errorf("panic: %v\n%s", r, debug.Stack())
}

// Log logs a value returned by recover, if any. Call it with the result of a
// recover made directly in the deferred function:
//
//	defer func() { safe.Log("worker", recover()) }()
func Log(where string, r any) {
	if r == nil {
		return
	}
	log.Printf("%s: recovered panic: %v\n%s", where, r, debug.Stack())
}

// Go runs fn on a new goroutine that recovers its own panics and hands them
// to onPanic.
func Go(fn func(), onPanic func(any)) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				onPanic(r)
			}
		}()
		fn()
	}()
}
