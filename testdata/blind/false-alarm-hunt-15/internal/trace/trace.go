// Package trace is a tiny span tracer in the style of OpenTelemetry:
// callers start a span from a context and end it with defer span.End().
package trace

import (
	"context"
	"sync"
	"time"
)

// Span is one timed operation.
type Span struct {
	name   string
	start  time.Time
	end    time.Time
	attrs  map[string]string
	err    error
	parent *Span
	tracer *Tracer
	ended  bool
}

// Tracer collects finished spans and forwards them to a sink.
type Tracer struct {
	mu       sync.Mutex
	finished []*Span
	sink     func(*Span)
	limit    int
}

type ctxKey struct{}

var noop = &Span{}

// NewTracer returns a tracer that keeps at most limit finished spans.
func NewTracer(limit int, sink func(*Span)) *Tracer {
	if limit <= 0 {
		limit = 1024
	}
	return &Tracer{sink: sink, limit: limit}
}

// Start opens a span as a child of the span stored in ctx, if any.
func (t *Tracer) Start(ctx context.Context, name string) (context.Context, *Span) {
	if t == nil {
		return ctx, noop
	}
	parent, _ := ctx.Value(ctxKey{}).(*Span)
	s := &Span{
		name:   name,
		start:  time.Now(),
		parent: parent,
		tracer: t,
		attrs:  make(map[string]string),
	}
	return context.WithValue(ctx, ctxKey{}, s), s
}

// Region starts a root span and returns the function that ends it,
// meant to be used as defer tr.Region("name")().
func (t *Tracer) Region(name string) func() {
	_, s := t.Start(context.Background(), name)
	return s.End
}

// SpanFromContext returns the active span or a no-op span.
func SpanFromContext(ctx context.Context) *Span {
	if s, ok := ctx.Value(ctxKey{}).(*Span); ok {
		return s
	}
	return noop
}

// SetAttr records a key/value attribute.
func (s *Span) SetAttr(key, value string) {
	if s.tracer == nil || s.ended {
		return
	}
	s.attrs[key] = value
}

// RecordError marks the span as failed; nil errors are ignored.
func (s *Span) RecordError(err error) {
	if err == nil || s.tracer == nil {
		return
	}
	s.err = err
}

// End finishes the span. Calling End twice is harmless.
func (s *Span) End() {
	if s.tracer == nil || s.ended {
		return
	}
	s.ended = true
	s.end = time.Now()
	s.tracer.record(s)
}

// EndWithError records err and ends the span.
func (s *Span) EndWithError(err error) {
	s.RecordError(err)
	s.End()
}

// Duration is the span's length, or the time since start while open.
func (s *Span) Duration() time.Duration {
	if !s.ended {
		return time.Since(s.start)
	}
	return s.end.Sub(s.start)
}

// Name returns the span name.
func (s *Span) Name() string { return s.name }

// Err returns the recorded error.
func (s *Span) Err() error { return s.err }

func (t *Tracer) record(s *Span) {
	t.mu.Lock()
	if len(t.finished) >= t.limit {
		t.finished = t.finished[1:]
	}
	t.finished = append(t.finished, s)
	sink := t.sink
	t.mu.Unlock()
	if sink != nil {
		sink(s)
	}
}

// Finished returns a copy of the retained finished spans.
func (t *Tracer) Finished() []*Span {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*Span, len(t.finished))
	copy(out, t.finished)
	return out
}
