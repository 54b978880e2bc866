// Package trace records coarse timing spans for build phases.
package trace

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Span is the timing of one named phase.
type Span struct {
	Name  string
	Start time.Time
	End   time.Time
}

// Tracer collects spans. It is safe for concurrent use.
type Tracer struct {
	mu    sync.Mutex
	spans []Span
	now   func() time.Time
}

// New returns a Tracer using the wall clock.
func New() *Tracer { return &Tracer{now: time.Now} }

// Begin starts a span and returns the function that ends it. The usual call
// site is `defer t.Begin("phase")()`.
func (t *Tracer) Begin(name string) func() {
	start := t.now()
	return func() {
		t.record(Span{Name: name, Start: start, End: t.now()})
	}
}

func (t *Tracer) record(s Span) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.spans = append(t.spans, s)
}

// Spans returns a copy of the spans recorded so far.
func (t *Tracer) Spans() []Span {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Span(nil), t.spans...)
}

// WriteTo writes one line per span.
func (t *Tracer) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for _, s := range t.Spans() {
		k, err := fmt.Fprintf(w, "%-24s %s\n", s.Name, s.End.Sub(s.Start))
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Summary is a point-in-time aggregate of the recorded spans.
type Summary struct {
	Count int
	Total time.Duration
	out   io.Writer
}

// Summary aggregates the spans recorded so far; Publish writes it to w.
func (t *Tracer) Summary(w io.Writer) Summary {
	sum := Summary{out: w}
	for _, s := range t.Spans() {
		sum.Count++
		sum.Total += s.End.Sub(s.Start)
	}
	return sum
}

// Publish writes the summary line.
func (s Summary) Publish() {
	fmt.Fprintf(s.out, "trace: %d spans, %s total\n", s.Count, s.Total)
}
