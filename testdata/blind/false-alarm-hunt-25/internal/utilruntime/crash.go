// Package utilruntime has the crash-handling helpers shared by the controllers.
package utilruntime

import (
	"fmt"
	"log"
	"runtime/debug"
)

// PanicHandlers run, in order, with every panic value HandleCrash observes.
var PanicHandlers = []func(any){logPanic}

// ReallyCrash makes HandleCrash re-panic after the handlers ran. Tests turn it off.
var ReallyCrash = true

// HandleCrash must be deferred directly: defer utilruntime.HandleCrash().
// It reports the panic to every handler and then, unless ReallyCrash is off, re-panics.
func HandleCrash(additional ...func(any)) {
	if r := recover(); r != nil {
		for _, fn := range PanicHandlers {
			fn(r)
		}
		for _, fn := range additional {
			fn(r)
		}
		if ReallyCrash {
			panic(r)
		}
	}
}

func logPanic(r any) {
	log.Printf("observed a panic: %v\n%s", r, debug.Stack())
}

// RecoverToError turns a panic into an error stored in *errp.
// Use it as `defer utilruntime.RecoverToError(&err)` with a named result.
func RecoverToError(errp *error) {
	if r := recover(); r != nil {
		logPanic(r)
		*errp = fmt.Errorf("recovered from panic: %v", r)
	}
}

// Go runs fn in a new goroutine that reports its panics through HandleCrash.
func Go(fn func()) {
	go func() {
		defer HandleCrash()
		fn()
	}()
}
