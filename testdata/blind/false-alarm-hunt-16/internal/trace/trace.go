// Package trace logs the start and end of named regions.
package trace

import (
	"log"
	"os"
	"time"
)

// Logger receives trace lines.
var Logger = log.New(os.Stderr, "trace: ", log.Lmicroseconds)

// Start logs the beginning of a region and returns the function that logs
// its end. Use it as `defer trace.Start("name")()`.
func Start(name string) func() {
	start := time.Now()
	Logger.Printf("begin %s", name)
	return func() {
		Logger.Printf("end %s (%s)", name, time.Since(start))
	}
}

// Measure returns a function that stores the time elapsed since Measure was
// called into *d. Use it as `defer trace.Measure(&d)()`.
func Measure(d *time.Duration) func() {
	start := time.Now()
	return func() {
		*d = time.Since(start)
	}
}
