// Package trace writes begin/end lines for long operations to a logger.
package trace

import (
	"log"
	"os"
	"time"
)

// Logger receives trace lines. It is safe for concurrent use.
var Logger = log.New(os.Stderr, "trace: ", log.LstdFlags|log.Lmicroseconds)

// Region logs the start of a named region and returns a function that logs its
// end with the elapsed time. Use it as
//
//	defer trace.Region("prune home")()
func Region(name string) func() {
	start := time.Now()
	Logger.Printf("begin %s", name)
	return func() {
		Logger.Printf("end %s after %s", name, time.Since(start).Round(time.Millisecond))
	}
}

// Mark logs a single event.
func Mark(format string, args ...any) {
	Logger.Printf(format, args...)
}
