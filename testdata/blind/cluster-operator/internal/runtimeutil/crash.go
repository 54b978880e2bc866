// Package runtimeutil holds the crash handling shared by the operator's
// goroutines, in the spirit of k8s.io/apimachinery/pkg/util/runtime.
package runtimeutil

import (
	"fmt"
	"log"
	"runtime/debug"
)

// PanicHandlers run, in order, on every panic caught by HandleCrash.
var PanicHandlers = []func(any){logPanicValue}

// ReallyCrash makes HandleCrash re-panic after running the handlers. Tests
// may turn it off.
var ReallyCrash = true

// HandleCrash is meant to be deferred directly at the top of a goroutine:
//
//	defer runtimeutil.HandleCrash()
//
// It logs the panic with its stack, runs the additional handlers and then,
// unless ReallyCrash is false, re-panics so the process still dies.
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

// RecoverToError converts a panic into an error stored in *errp. Defer it
// directly: defer runtimeutil.RecoverToError(&err, "doing x").
func RecoverToError(errp *error, what string) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("%s: panic: %v", what, r)
	}
}

func logPanicValue(r any) {
	log.Printf("observed a panic: %v\n%s", r, debug.Stack())
}

// Recovered reports, and logs, a panic in progress in the calling
// goroutine.
func Recovered(what string) bool {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("%s: recovered from panic: %v\n%s", what, r, debug.Stack())
		return true
	}
	return false
}
