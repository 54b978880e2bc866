package lifecycle

import (
	"log"
	"time"
)

// Region starts a timed region and returns the function that ends it:
//
//	defer lifecycle.Region(logger, "replay")()
func Region(logger *log.Logger, name string) func() {
	start := time.Now()
	logger.Printf("%s: start", name)
	return func() {
		logger.Printf("%s: done in %s", name, time.Since(start).Round(time.Millisecond))
	}
}
