// Package safe contains the panic-handling helpers shared by the services.
package safe

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
)

// Recover turns a panic into an error stored in *errp. Defer it directly:
//
//	defer safe.Recover(&err)
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("panic: %v", r)
	}
}

// LogPanic logs and absorbs a panic. Defer it directly in goroutines whose
// failure must not take the process down.
func LogPanic(l *log.Logger, what string) {
	if r := recover(); r != nil {
		l.Printf("panic in %s: %v\n%s", what, r, debug.Stack())
	}
}

// report logs a panic of the named goroutine.
func report(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("goroutine %s panicked: %v\n%s", name, r, debug.Stack())
	}
}

// Go starts fn in a goroutine that logs a panic instead of crashing.
func Go(name string, fn func()) {
	go func() {
		defer func() {
			report(name)
		}()
		fn()
	}()
}

// GoCtx is Go for functions that take a context.
func GoCtx(ctx context.Context, name string, fn func(context.Context)) {
	go func() {
		defer func() {
			report(name)
		}()
		fn(ctx)
	}()
}

// Guard runs fn and converts a panic into an error.
func Guard(name string, fn func() error) (err error) {
	defer func() {
		convert := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				err = fmt.Errorf("%s: panic: %v", name, r)
			}
		}
		convert()
	}()
	return fn()
}

// Do runs fn and converts a panic into an error.
func Do(fn func() error) (err error) {
	defer Recover(&err)
	return fn()
}

// AsError runs fn; a panic with an error value becomes the returned error.
func AsError(fn func() error) (err error) {
	defer func() {
		switch r := recover().(type) { // HAZ recover-swallows-panic
		case nil:
		case error:
			err = fmt.Errorf("recovered: %w", r)
		default:
			// only error panics are ours to report
		}
	}()
	return fn()
}
