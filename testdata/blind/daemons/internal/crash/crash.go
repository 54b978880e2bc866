// Package crash has the panic helpers shared by the daemons.
package crash

import (
	"log"
	"runtime/debug"
)

// LogAndRepanic records a panic with its stack and panics again, so the
// crash reaches the log before the process dies. Use it as
//
//	defer crash.LogAndRepanic(logger, "worker")
func LogAndRepanic(l *log.Logger, what string) {
	if r := recover(); r != nil {
		l.Printf("%s: panic: %v\n%s", what, r, debug.Stack())
		panic(r)
	}
}

// Go runs fn in a new goroutine whose panics are logged before they crash
// the process.
func Go(l *log.Logger, what string, fn func()) {
	go func() {
		defer LogAndRepanic(l, what)
		fn()
	}()
}

// Contain runs fn and reports whether it panicked; the panic is logged.
func Contain(l *log.Logger, what string, fn func()) (panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			l.Printf("%s: contained panic: %v\n%s", what, r, debug.Stack())
			panicked = true
		}
	}()
	fn()
	return false
}
