// Package guard holds the panic-recovery helpers shared by the up9 daemons.
package guard

import (
	"fmt"
	"log"
	"runtime/debug"
)

// Report logs a recovered panic value together with the current stack.
func Report(logger *log.Logger, where string, v any) {
	if logger == nil {
		logger = log.Default()
	}
	logger.Printf("panic in %s: %v\n%s", where, v, debug.Stack())
}

// Recover must be deferred directly:
//
//	defer guard.Recover(logger, "sync", &err)
//
// It stops a panic, logs it and, when errp is not nil, turns it into an error.
func Recover(logger *log.Logger, where string, errp *error) {
	if v := recover(); v != nil {
		Report(logger, where, v)
		if errp != nil {
			*errp = fmt.Errorf("%s: panic: %v", where, v)
		}
	}
}

// Go runs fn in a new goroutine that recovers and logs its own panics.
func Go(logger *log.Logger, where string, fn func()) {
	go func() {
		defer Recover(logger, where, nil)
		fn()
	}()
}
