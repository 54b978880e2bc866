// Package telemetry provides a small tracer, histograms and timing helpers.
package telemetry

import (
	"context"
	"fmt"
	"io"
	"log"
	"sort"
	"sync"
	"time"
)

// FinishedSpan is the exported record of an ended span.
type FinishedSpan struct {
	Name     string
	Duration time.Duration
	Err      error
	Attrs    map[string]string
}

// Tracer collects finished spans in memory.
type Tracer struct {
	mu    sync.Mutex
	spans []FinishedSpan
	limit int
	now   func() time.Time
}

// Span is an in-flight operation.
type Span struct {
	tracer *Tracer
	name   string
	start  time.Time
	mu     sync.Mutex
	attrs  map[string]string
	err    error
	ended  bool
}

type spanKey struct{}

// NewTracer returns a tracer that keeps at most limit spans.
func NewTracer(limit int) *Tracer {
	if limit <= 0 {
		limit = 1024
	}
	return &Tracer{limit: limit, now: time.Now}
}

// Start begins a span and stores it in the returned context.
func (t *Tracer) Start(ctx context.Context, name string) (context.Context, *Span) {
	s := &Span{tracer: t, name: name, start: t.now(), attrs: map[string]string{}}
	return context.WithValue(ctx, spanKey{}, s), s
}

// SpanFromContext returns the current span or nil.
func SpanFromContext(ctx context.Context) *Span {
	s, _ := ctx.Value(spanKey{}).(*Span)
	return s
}

// SetAttr records a key/value attribute.
func (s *Span) SetAttr(k, v string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attrs[k] = v
}

// RecordError remembers the first non-nil error.
func (s *Span) RecordError(err error) {
	if s == nil || err == nil {
		return
	}
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

// End finishes the span. Calling End twice is a no-op.
func (s *Span) End() {
	if s == nil {
		return
	}
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	fs := FinishedSpan{Name: s.name, Err: s.err, Attrs: make(map[string]string, len(s.attrs))}
	for k, v := range s.attrs {
		fs.Attrs[k] = v
	}
	s.mu.Unlock() // ok: released before taking the tracer lock

	fs.Duration = s.tracer.now().Sub(s.start)
	s.tracer.record(fs)
}

// EndWithError records err and ends the span.
func (s *Span) EndWithError(err error) {
	s.RecordError(err)
	s.End()
}

func (t *Tracer) record(fs FinishedSpan) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.spans) >= t.limit {
		copy(t.spans, t.spans[1:])
		t.spans = t.spans[:len(t.spans)-1]
	}
	t.spans = append(t.spans, fs)
}

// Finished returns a copy of the finished spans.
func (t *Tracer) Finished() []FinishedSpan {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]FinishedSpan, len(t.spans))
	copy(out, t.spans)
	return out
}

// Reset drops all finished spans.
func (t *Tracer) Reset() {
	t.mu.Lock()
	t.spans = nil
	t.mu.Unlock()
}

// Dump writes finished spans sorted by duration.
func (t *Tracer) Dump(w io.Writer) error {
	spans := t.Finished() // ok: Finished locks and unlocks on its own
	sort.Slice(spans, func(i, j int) bool { return spans[i].Duration > spans[j].Duration })
	for _, s := range spans {
		if _, err := fmt.Fprintf(w, "%-30s %10s err=%v\n", s.Name, s.Duration, s.Err); err != nil {
			return err
		}
	}
	return nil
}

// WithSpan runs fn inside a span and records its error.
func (t *Tracer) WithSpan(ctx context.Context, name string, fn func(context.Context) error) (err error) {
	ctx, span := t.Start(ctx, name)
	defer func() { span.EndWithError(err) }() // ok: closure reads the named result at exit
	return fn(ctx)
}

// trace and un follow the go/parser idiom: defer un(trace(t, "X")).
func trace(t *Tracer, name string) *Span {
	_, s := t.Start(context.Background(), name)
	return s
}

func un(s *Span) { s.End() }

// TraceCall times a single named call using the trace/un idiom.
func TraceCall(t *Tracer, name string, fn func()) {
	defer un(trace(t, name)) // ok: trace runs now on purpose, un at exit
	fn()
}

// Region starts a named region and returns the function that ends it.
func Region(logger *log.Logger, name string) func() {
	start := time.Now()
	logger.Printf("region %s: begin", name)
	return func() {
		logger.Printf("region %s: end after %v", name, time.Since(start))
	}
}

// TimedRegion shows the intended use of Region.
func TimedRegion(logger *log.Logger, name string, fn func() error) error {
	defer Region(logger, name)() // ok: the returned func is what is deferred
	return fn()
}

// LogDuration logs how long an operation took; meant for defer LogDuration(l, "x", time.Now()).
func LogDuration(logger *log.Logger, op string, start time.Time) {
	logger.Printf("%s took %v", op, time.Since(start))
}

// TimeIt shows LogDuration taking the start time at defer time.
func TimeIt(logger *log.Logger, op string, fn func()) {
	defer LogDuration(logger, op, time.Now()) // ok: start time is meant to be taken now
	fn()
}
