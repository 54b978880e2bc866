// Package guard holds the panic helpers shared by the daemons.
package guard

import (
	"fmt"
	"log"
	"runtime/debug"
)

// LogPanic logs a panic with its stack and lets the goroutine continue.
// Use it as `defer guard.LogPanic(logger)`.
func LogPanic(l *log.Logger) {
	if r := recover(); r != nil {
		l.Printf("panic: %v\n%s", r, debug.Stack())
	}
}

// Recover turns a panic into an error stored in *errp.
// Use it as `defer guard.Recover(&err)` with a named error result.
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("recovered: %v", r)
	}
}
