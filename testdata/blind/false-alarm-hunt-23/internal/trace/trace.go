// Package trace provides lightweight timing regions and spans for the fahdb
// driver, the pool and the command-line tools. It logs through the standard
// logger and costs one atomic load when disabled.
package trace

import (
	"log"
	"strings"
	"sync/atomic"
	"time"
)

// Logger receives finished regions and spans.
var Logger = log.Default()

var enabled atomic.Bool

// Enable switches span logging on or off.
func Enable(on bool) { enabled.Store(on) }

// Region starts a timed region and returns the function that ends it:
//
//	defer trace.Region("fahdb.exec")()
//
// The returned function is never nil.
func Region(name string) func() {
	if !enabled.Load() {
		return func() {}
	}
	start := time.Now()
	return func() {
		Logger.Printf("trace: %s took %s", name, time.Since(start))
	}
}

// Span is a named operation whose outcome is recorded once.
type Span struct {
	name  string
	start time.Time
	attrs []string
	ended atomic.Bool
}

// Start begins a span.
func Start(name string) *Span {
	return &Span{name: name, start: time.Now()}
}

// SetAttr attaches a key=value pair that is printed when the span finishes.
func (s *Span) SetAttr(key, value string) {
	s.attrs = append(s.attrs, key+"="+value)
}

// Finish records the outcome of the span; err may be nil. Only the first
// call has an effect, so an explicit Finish may be followed by a deferred one.
func (s *Span) Finish(err error) {
	if !s.ended.CompareAndSwap(false, true) {
		return
	}
	if !enabled.Load() {
		return
	}
	status := "ok"
	if err != nil {
		status = "error: " + err.Error()
	}
	Logger.Printf("trace: %s [%s] %s took %s", s.name, strings.Join(s.attrs, " "), status, time.Since(s.start))
}

// End finishes the span successfully.
func (s *Span) End() { s.Finish(nil) }
