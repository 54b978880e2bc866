// Package trace is a tiny in-process tracer: spans, regions and timers
// recorded into a bounded ring that an exporter ships elsewhere.
package trace

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Span is one timed operation.
type Span struct {
	Name   string
	Start  time.Time
	End    time.Time
	Err    error
	Attrs  map[string]string
	parent *Span
	ended  atomic.Bool
}

// Recorder keeps the most recent finished spans.
type Recorder struct {
	mu    sync.Mutex
	ring  []*Span
	next  int
	total uint64
}

type ctxKey struct{}

var defaultRecorder = NewRecorder(1024)

// NewRecorder returns a recorder that keeps the last n spans.
func NewRecorder(n int) *Recorder {
	return &Recorder{ring: make([]*Span, n)}
}

// Default returns the process-wide recorder.
func Default() *Recorder { return defaultRecorder }

// Start opens a span as a child of the span in ctx, if any.
func Start(ctx context.Context, name string) (context.Context, *Span) {
	parent, _ := ctx.Value(ctxKey{}).(*Span)
	sp := &Span{Name: name, Start: time.Now(), parent: parent}
	return context.WithValue(ctx, ctxKey{}, sp), sp
}

// SetAttr records a key/value pair on the span.
func (s *Span) SetAttr(k, v string) {
	if s.Attrs == nil {
		s.Attrs = make(map[string]string)
	}
	s.Attrs[k] = v
}

// Finish ends the span with the given error and records it.
func (s *Span) Finish(err error) {
	if !s.ended.CompareAndSwap(false, true) {
		return
	}
	s.End = time.Now()
	s.Err = err
	defaultRecorder.add(s)
}

// Duration reports how long the span ran (so far, if not ended).
func (s *Span) Duration() time.Duration {
	if s.ended.Load() {
		return s.End.Sub(s.Start)
	}
	return time.Since(s.Start)
}

func (r *Recorder) add(s *Span) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ring[r.next] = s
	r.next = (r.next + 1) % len(r.ring)
	r.total++
}

// Snapshot returns the recorded spans, oldest first.
func (r *Recorder) Snapshot() []*Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*Span, 0, len(r.ring))
	for i := range len(r.ring) {
		if s := r.ring[(r.next+i)%len(r.ring)]; s != nil {
			out = append(out, s)
		}
	}
	return out
}

// Total reports how many spans were ever recorded.
func (r *Recorder) Total() uint64 {
	r.mu.Lock()
	n := r.total
	r.mu.Unlock()
	return n
}

// Region starts a named region and returns the function that ends it.
// Use it as `defer trace.Region("name")()`.
func Region(name string) func() {
	start := time.Now()
	return func() {
		slog.Debug("region", "name", name, "took", time.Since(start))
	}
}

// Timed wraps fn with a region and returns its error.
func Timed(name string, fn func() error) error {
	defer Region(name)()
	return fn()
}

// Measure runs fn and reports its duration to observe.
func Measure(observe func(time.Duration), fn func()) {
	start := time.Now()
	defer func() { observe(time.Since(start)) }()
	fn()
}

// Logf logs a message annotated with the current span name.
func Logf(ctx context.Context, format string, args ...any) {
	name := "-"
	if sp, ok := ctx.Value(ctxKey{}).(*Span); ok {
		name = sp.Name
	}
	slog.Info(fmt.Sprintf(format, args...), "span", name)
}
