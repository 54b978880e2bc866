// Package processor holds the pipeline stages between receivers and
// exporters: batching, sampling and attribute rewriting.
package processor

import (
	"log"
	"os"
	"time"
)

var debugTrace = os.Getenv("OBSAGENT_TRACE") != ""

// trace logs the start of op and returns the func that logs its end.
// Use as: defer trace("op")().
func trace(op string) func() {
	if !debugTrace {
		return func() {}
	}
	start := time.Now()
	log.Printf("trace: %s: begin", op)
	return func() { log.Printf("trace: %s: end after %v", op, time.Since(start)) }
}
