// Package safe contains panic-containment helpers for background goroutines.
package safe

import (
	"fmt"
	"log"
	"runtime/debug"
)

// Recover logs a panic with its stack. It must be deferred directly: defer safe.Recover(l, "x").
func Recover(logger *log.Logger, where string) {
	if r := recover(); r != nil {
		logger.Printf("panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// RecoverError turns a panic into an error stored in *errp.
func RecoverError(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("recovered panic: %v", r)
	}
}

// Go runs fn on a new goroutine that logs instead of crashing the process.
func Go(logger *log.Logger, name string, fn func()) {
	go func() {
		defer Recover(logger, name)
		fn()
	}()
}

// Call runs fn and converts a panic into an error.
func Call(fn func() error) (err error) {
	defer RecoverError(&err)
	return fn()
}

// Rethrow logs a panic and continues panicking so the supervisor restarts the process.
func Rethrow(logger *log.Logger, where string) {
	if r := recover(); r != nil {
		logger.Printf("fatal panic in %s: %v", where, r)
		panic(r)
	}
}
