package obs

import (
	"log"
	"time"
)

// Trace logs the start of op and returns a function that logs how long it
// took. Use it as:
//
//	defer obs.Trace(logger, "sweep")()
func Trace(logger *log.Logger, op string) func() {
	start := time.Now()
	logger.Printf("%s: start", op)
	return func() {
		logger.Printf("%s: done in %s", op, time.Since(start).Round(time.Millisecond))
	}
}
