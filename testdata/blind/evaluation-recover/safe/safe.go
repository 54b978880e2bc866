// Package safe contains the panic helpers the services defer directly:
//
//	defer safe.Recover(logger, "billing.sync")
//	defer safe.RecoverInto(&err, "store.migrate")
//
// Both call recover() themselves, so they work only when deferred directly.
package safe

import (
	"fmt"
	"log"
	"runtime/debug"
)

// PanicError wraps a recovered panic value.
type PanicError struct {
	Where string
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic in %s: %v", e.Where, e.Value) }

// Recover logs a panic with its stack and stops it. Use it as
// `defer safe.Recover(l, "where")`.
func Recover(l *log.Logger, where string) {
	if r := recover(); r != nil {
		l.Printf("recovered panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// RecoverInto converts a panic into an error stored in *errp. Use it as
// `defer safe.RecoverInto(&err, "where")` with a named error result.
func RecoverInto(errp *error, where string) {
	if r := recover(); r != nil {
		*errp = &PanicError{Where: where, Value: r, Stack: debug.Stack()}
	}
}

// Go runs fn in a new goroutine that carries its own recover.
func Go(l *log.Logger, where string, fn func()) {
	go func() {
		defer Recover(l, where)
		fn()
	}()
}
