// Package safe turns panics in plugin and hook code into errors.
package safe

import (
	"fmt"
	"runtime/debug"
)

// PanicError is the error stored by Recover.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("panic: %v", e.Value)
}

// Recover converts a panic into a *PanicError stored in *errp. It must be
// deferred directly:
//
//	defer safe.Recover(&err)
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = &PanicError{Value: r, Stack: debug.Stack()}
	}
}

// Call runs fn and returns its error, or the panic it raised as an error.
func Call(fn func() error) (err error) {
	defer Recover(&err)
	return fn()
}

// Go runs fn in a new goroutine that converts panics into errors. The
// returned channel is buffered, so the goroutine never waits for a reader.
func Go(fn func() error) <-chan error {
	errc := make(chan error, 1)
	go func() {
		errc <- Call(fn)
	}()
	return errc
}
