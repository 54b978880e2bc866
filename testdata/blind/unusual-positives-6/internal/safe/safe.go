// Package safe contains the panic-containment helpers used across up6.
package safe

import (
	"errors"
	"fmt"
	"log"
	"runtime/debug"
)

// Guard converts a panic of the calling function into an error joined into
// *errp. It must be deferred directly:
//
//	defer safe.Guard(&err)
func Guard(errp *error) {
	if r := recover(); r != nil {
		*errp = errors.Join(*errp, fmt.Errorf("panic: %v\n%s", r, debug.Stack()))
	}
}

// Report logs a recovered panic for the named component.
func Report(component string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("%s: recovered panic: %v\n%s", component, r, debug.Stack())
	}
}

// Go runs fn on a new goroutine that contains and logs its own panics.
func Go(name string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("%s: goroutine panic: %v\n%s", name, r, debug.Stack())
			}
		}()
		fn()
	}()
}

// Do calls fn and returns its error, or its panic converted to an error.
func Do(fn func() error) (err error) {
	defer Guard(&err)
	return fn()
}
