// Package safe turns panics into errors or log lines.
package safe

import (
	"fmt"
	"log"
	"runtime/debug"
)

// PanicError wraps a recovered panic value.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Recover stores a recovered panic in *errp. Defer it directly:
//
//	defer safe.Recover(&err)
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = &PanicError{Value: r, Stack: debug.Stack()}
	}
}

// Do runs fn and converts its panic into an error.
func Do(fn func() error) (err error) {
	defer Recover(&err)
	return fn()
}

// GoErr runs fn on its own goroutine; the goroutine recovers through Do and
// delivers exactly one error on a buffered channel.
func GoErr(fn func() error) <-chan error {
	errc := make(chan error, 1)
	go func() {
		errc <- Do(fn)
	}()
	return errc
}

// Go runs fn on its own goroutine and logs a panic instead of crashing.
func Go(logger *log.Logger, where string, fn func()) {
	go func() {
		defer func() { logPanic(logger, where) }()
		fn()
	}()
}

// logPanic logs the panic in progress, if any.
func logPanic(logger *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("panic in %s: %v\n%s", where, r, debug.Stack())
	}
}
