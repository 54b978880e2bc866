// Package crash holds the process-wide panic reporting helpers, in the style
// of k8s.io/apimachinery/pkg/util/runtime: report the panic, then let it
// continue to kill the process unless a caller explicitly converts it.
package crash

import (
	"fmt"
	"log"
	"net/http"
	"runtime"
)

// ReallyCrash controls whether HandleCrash re-panics after reporting. Tests
// that exercise panic paths set it to false.
var ReallyCrash = true

// PanicHandlers are called, in order, with every panic seen by HandleCrash.
var PanicHandlers = []func(any){logPanic}

// HandleCrash reports a panic in the calling goroutine and then re-raises it.
// It must be deferred directly:
//
//	defer crash.HandleCrash()
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

// logPanic writes the panic value and the current goroutine's stack.
func logPanic(r any) {
	if r == http.ErrAbortHandler {
		// net/http uses this to abort a response; it is not a bug.
		return
	}
	const size = 64 << 10
	stack := make([]byte, size)
	stack = stack[:runtime.Stack(stack, false)]
	log.Printf("observed a panic: %v\n%s", r, stack)
}

// Go runs fn on a new goroutine whose panics are reported by HandleCrash.
func Go(fn func()) {
	go func() {
		defer HandleCrash()
		fn()
	}()
}

// RecoverError converts a panic in the deferring function into an error
// stored through errp. http.ErrAbortHandler is re-raised untouched.
//
//	func load() (err error) {
//		defer crash.RecoverError(&err)
//		...
//	}
func RecoverError(errp *error) {
	if r := recover(); r != nil {
		if r == http.ErrAbortHandler {
			panic(r)
		}
		*errp = fmt.Errorf("recovered from panic: %v", r)
	}
}
