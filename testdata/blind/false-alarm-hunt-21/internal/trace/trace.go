// Package trace prints coarse timings of tool phases when FAH_TRACE is set.
package trace

import (
	"io"
	"log"
	"os"
	"time"
)

var logger = log.New(io.Discard, "trace: ", 0)

func init() {
	if os.Getenv("FAH_TRACE") != "" {
		logger.SetOutput(os.Stderr)
	}
}

// SetOutput redirects trace output, e.g. into a test's buffer.
func SetOutput(w io.Writer) {
	logger.SetOutput(w)
}

// Region logs the start of a phase and returns the function that logs its end:
//
//	defer trace.Region("render")()
func Region(name string) func() {
	start := time.Now()
	logger.Printf("begin %s", name)
	return func() {
		logger.Printf("end %s after %s", name, time.Since(start).Round(time.Microsecond))
	}
}

// Span is a named phase with an explicit end and optional annotations.
type Span struct {
	name  string
	start time.Time
	attrs []string
}

// Start begins a span.
func Start(name string) *Span {
	return &Span{name: name, start: time.Now()}
}

// Annotate adds a key=value pair that is printed when the span ends.
func (s *Span) Annotate(key, value string) {
	s.attrs = append(s.attrs, key+"="+value)
}

// End logs the span with its duration and annotations.
func (s *Span) End() {
	logger.Printf("%s took %s %v", s.name, time.Since(s.start).Round(time.Microsecond), s.attrs)
}

// Finish ends the span and records err, if any. Call it from a deferred
// closure so that it sees the final error: defer func() { sp.Finish(err) }().
func (s *Span) Finish(err error) {
	if err != nil {
		s.Annotate("error", err.Error())
	}
	s.End()
}
