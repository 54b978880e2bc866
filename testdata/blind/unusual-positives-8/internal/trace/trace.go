// Package trace records coarse timing spans for up8's services.
package trace

import (
	"log"
	"sync/atomic"
	"time"
)

// Tracer records timed spans.
type Tracer interface {
	// Start begins a span and returns the function that ends it:
	//
	//	defer t.Start("load")()
	Start(name string) func()
	// Record records a finished span.
	Record(name string, begin, end time.Time)
}

// LogTracer writes spans to a logger.
type LogTracer struct {
	L    *log.Logger
	open atomic.Int64
}

// NewLogTracer returns a tracer that logs to l.
func NewLogTracer(l *log.Logger) *LogTracer {
	return &LogTracer{L: l}
}

// Start implements Tracer.
func (t *LogTracer) Start(name string) func() {
	begin := time.Now()
	t.open.Add(1)
	return func() {
		t.open.Add(-1)
		t.Record(name, begin, time.Now())
	}
}

// Record implements Tracer.
func (t *LogTracer) Record(name string, begin, end time.Time) {
	t.L.Printf("span %s took %s (%d open)", name, end.Sub(begin).Round(time.Microsecond), t.open.Load())
}

// Nop is a Tracer that records nothing.
type Nop struct{}

// Start implements Tracer.
func (Nop) Start(string) func() { return func() {} }

// Record implements Tracer.
func (Nop) Record(string, time.Time, time.Time) {}
