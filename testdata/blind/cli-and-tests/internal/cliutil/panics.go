package cliutil

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// PanicError is a recovered panic turned into an error.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// RecoverTo turns a panic in the calling function into an error stored in
// *errp. It calls recover itself, so it must be deferred directly:
//
//	defer cliutil.RecoverTo(&err)
func RecoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = &PanicError{Value: r, Stack: debug.Stack()}
	}
}

// IsPanic reports whether err came from a recovered panic.
func IsPanic(err error) bool {
	var pe *PanicError
	return errors.As(err, &pe)
}

// Go runs fn in a new goroutine tracked by wg. A panic in fn is reported
// through report instead of crashing the process.
func Go(wg *sync.WaitGroup, report func(error), fn func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		var err error
		defer func() {
			if err != nil {
				report(err)
			}
		}()
		defer RecoverTo(&err) // ok: deferred directly in the goroutine that may panic
		fn()
	}()
}
