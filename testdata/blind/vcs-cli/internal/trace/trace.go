// Package trace prints coarse timings of vcs operations to stderr when
// VCS_TRACE is set, in the spirit of GIT_TRACE_PERFORMANCE.
package trace

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	enabled atomic.Bool

	mu  sync.Mutex
	out io.Writer = os.Stderr
)

func init() {
	enabled.Store(os.Getenv("VCS_TRACE") != "")
}

// Region starts timing name and returns the function that stops it, for use
// as `defer trace.Region("checkout")()`.
func Region(name string) func() {
	if !enabled.Load() {
		return func() {}
	}
	start := time.Now()
	return func() { emit(name, time.Since(start), nil) }
}

func emit(name string, d time.Duration, err error) {
	mu.Lock()
	defer mu.Unlock()
	if out == nil {
		return
	}
	if err != nil {
		fmt.Fprintf(out, "trace: %-28s %12s  error: %v\n", name, d, err)
		return
	}
	fmt.Fprintf(out, "trace: %-28s %12s\n", name, d)
}

// Span is a timed operation with attributes, finished with its outcome.
type Span struct {
	name  string
	start time.Time
	attrs []string
}

// Start begins a span.
func Start(name string) *Span {
	return &Span{name: name, start: time.Now()}
}

// Set attaches a key=value attribute shown when the span finishes.
func (s *Span) Set(key, value string) {
	s.attrs = append(s.attrs, key+"="+value)
}

// Finish reports the span with the error it ended with (nil for success).
func (s *Span) Finish(err error) {
	if !enabled.Load() {
		return
	}
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// tracing must never take the command down
		}
	}()
	name := s.name
	if len(s.attrs) > 0 {
		name += " [" + strings.Join(s.attrs, " ") + "]"
	}
	emit(name, time.Since(s.start), err)
}
