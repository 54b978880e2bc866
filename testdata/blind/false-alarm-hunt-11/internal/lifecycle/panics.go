// Package lifecycle holds the process plumbing shared by kvd's binaries:
// panic handling, supervised services, timing regions and limiters.
package lifecycle

import (
	"context"
	"fmt"
	"io"
	"log"
	"runtime/debug"
	"time"
)

// RecoverTo turns a panic into an error stored in *errp. Use it as
//
//	defer lifecycle.RecoverTo(&err)
func RecoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
	}
}

// logPanic reports a recovered panic for component.
func logPanic(logger *log.Logger, component string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("%s: recovered panic: %v\n%s", component, r, debug.Stack())
	}
}

// Every calls fn every interval until ctx is done. A panicking fn is
// logged and the next tick runs normally.
func Every(ctx context.Context, interval time.Duration, logger *log.Logger, name string, fn func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			func() {
				defer func() { logPanic(logger, name) }()
				fn(ctx)
			}()
		}
	}
}

// Go runs fn on a new goroutine that logs, instead of crashing the
// process, if fn panics.
func Go(logger *log.Logger, name string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				logger.Printf("%s: goroutine panicked: %v\n%s", name, r, debug.Stack())
			}
		}()
		fn()
	}()
}

// CloseQuietly closes c during shutdown, when nobody is left to report
// an error to.
func CloseQuietly(c io.Closer) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	_ = c.Close()
}
