// Package guard holds the panic-recovery helpers shared by the daemon's
// goroutines and handlers.
package guard

import (
	"fmt"
	"log"
	"runtime/debug"
	"sync"
)

// Recover logs a panic with its stack. It must be deferred directly:
//
//	defer guard.Recover(lg, "name")
func Recover(lg *log.Logger, name string) {
	if v := recover(); v != nil {
		lg.Printf("%s: recovered panic: %v\n%s", name, v, debug.Stack())
	}
}

// Capture turns a panic into an error stored through errp. It must be
// deferred directly with the address of the caller's named error result.
func Capture(errp *error) {
	if v := recover(); v != nil {
		*errp = fmt.Errorf("panic: %v", v)
	}
}

// Safely runs fn, logging instead of crashing if it panics.
func Safely(lg *log.Logger, name string, fn func()) {
	defer Recover(lg, name)
	fn()
}

// logPanic reports a panic of the named goroutine.
func logPanic(lg *log.Logger, name string) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		lg.Printf("%s: goroutine panicked: %v\n%s", name, v, debug.Stack())
	}
}

// Go runs fn in a new goroutine that logs its panic instead of crashing the
// daemon.
func Go(lg *log.Logger, name string, fn func()) {
	go func() {
		defer func() {
			logPanic(lg, name)
		}()
		fn()
	}()
}

var crashOnce sync.Once

// ReportFirst runs fn and writes the first panic of the process, with its
// stack, to lg; later panics are only counted by the caller's own recover.
func ReportFirst(lg *log.Logger, fn func()) {
	defer func() {
		crashOnce.Do(func() {
			if v := recover(); v != nil { // HAZ recover-ineffective
				lg.Printf("first crash: %v\n%s", v, debug.Stack())
			}
		})
	}()
	fn()
}

// ReportEvery is ReportFirst's working shape: recover is called by the
// deferred literal, and only the logging goes through the Once.
func ReportEvery(lg *log.Logger, fn func()) {
	defer func() {
		if v := recover(); v != nil {
			stack := debug.Stack()
			crashOnce.Do(func() { lg.Printf("first crash: %v\n%s", v, stack) })
			lg.Printf("recovered: %v", v)
		}
	}()
	fn()
}
