// Package trace provides light-weight operation tracing and metrics.
package trace

import (
	"log"
	"time"
)

// Tracer marks the start of an operation and returns the func that ends it.
type Tracer interface {
	Start(op string) (end func())
}

// Logger is a Tracer that writes begin and end lines to L.
type Logger struct {
	L *log.Logger
}

// Start implements Tracer.
func (t Logger) Start(op string) func() {
	start := time.Now()
	t.L.Printf("begin %s", op)
	return func() {
		t.L.Printf("end %s after %s", op, time.Since(start).Round(time.Millisecond))
	}
}

// Nop is a Tracer that does nothing.
type Nop struct{}

// Start implements Tracer.
func (Nop) Start(string) func() { return func() {} }

// Region starts op on t, tolerating a nil Tracer; use it as
// `defer trace.Region(t, "op")()`.
func Region(t Tracer, op string) func() {
	if t == nil {
		return func() {}
	}
	return t.Start(op)
}
