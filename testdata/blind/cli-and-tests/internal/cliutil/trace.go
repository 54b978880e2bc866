// Package cliutil holds small helpers shared by the command-line tools:
// timing, profiling, exit codes and panic conversion.
package cliutil

import (
	"io"
	"log"
	"os"
	"sync"
	"time"
)

var (
	loggerMu sync.Mutex
	logger   = log.New(os.Stderr, "", log.LstdFlags)
)

// SetOutput redirects Trace output and returns a func restoring the old one.
func SetOutput(w io.Writer) (restore func()) {
	loggerMu.Lock()
	defer loggerMu.Unlock()
	old := logger.Writer()
	logger.SetOutput(w)
	return func() {
		loggerMu.Lock()
		defer loggerMu.Unlock()
		logger.SetOutput(old)
	}
}

func logf(format string, args ...any) {
	loggerMu.Lock()
	defer loggerMu.Unlock()
	logger.Printf(format, args...)
}

// Trace logs the start of a step and returns a func that logs how long it
// took. Use it as
//
//	defer cliutil.Trace("step")()
func Trace(name string) func() {
	start := time.Now()
	logf("%s: start", name)
	return func() {
		logf("%s: done in %s", name, time.Since(start).Round(time.Microsecond))
	}
}

// Elapsed logs the time since start. It is meant to be deferred with the
// start time taken at the defer statement:
//
//	defer cliutil.Elapsed("sync", time.Now())
func Elapsed(name string, start time.Time) {
	logf("%s: took %s", name, time.Since(start).Round(time.Microsecond))
}
