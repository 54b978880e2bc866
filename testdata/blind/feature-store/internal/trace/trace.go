// Package trace provides lightweight wall-clock spans for the feature store's
// batch paths. Spans are written to the standard logger; nothing is exported
// to a collector. It is deliberately tiny.
package trace

import (
	"log"
	"sync"
	"time"
)

var (
	mu      sync.Mutex
	enabled = true
)

// SetEnabled switches span logging on or off for the whole process.
func SetEnabled(on bool) {
	mu.Lock()
	defer mu.Unlock()
	enabled = on
}

func isEnabled() bool {
	mu.Lock()
	defer mu.Unlock()
	return enabled
}

// Span starts a span and returns the function that ends it. The intended use
// is a single line at the top of a function:
//
//	defer trace.Span("materialize.publish")()
func Span(name string) func() {
	if !isEnabled() {
		return func() {}
	}
	start := time.Now()
	return func() {
		log.Printf("span %s took %s", name, time.Since(start).Round(time.Microsecond))
	}
}

// Region is a span that also records how the traced operation ended.
type Region struct {
	name  string
	start time.Time
}

// Begin starts a region.
func Begin(name string) *Region {
	return &Region{name: name, start: time.Now()}
}

// End logs the region's duration and outcome.
func (r *Region) End(err error) {
	if !isEnabled() {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "error: " + err.Error()
	}
	log.Printf("region %s took %s: %s", r.name, time.Since(r.start).Round(time.Microsecond), outcome)
}
