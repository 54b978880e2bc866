// Package trace provides request-scoped spans and loggers for the RPC layer.
package trace

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// SpanData is the exported, immutable form of a finished span.
type SpanData struct {
	TraceID  string            `json:"trace_id"`
	SpanID   string            `json:"span_id"`
	ParentID string            `json:"parent_id,omitempty"`
	Name     string            `json:"name"`
	Start    time.Time         `json:"start"`
	End      time.Time         `json:"end"`
	Attrs    map[string]string `json:"attrs,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// Duration is End-Start.
func (d SpanData) Duration() time.Duration { return d.End.Sub(d.Start) }

// Exporter ships finished spans somewhere.
type Exporter interface {
	Export(ctx context.Context, spans []SpanData) error
}

// Span is one timed operation.
type Span struct {
	mu     sync.Mutex
	data   SpanData
	tracer *Tracer
	ended  bool
}

// Tracer buffers finished spans until Flush.
type Tracer struct {
	mu      sync.Mutex
	buf     []SpanData
	max     int
	exp     Exporter
	closed  bool
	dropped int
}

// NewTracer keeps at most max finished spans between flushes.
func NewTracer(max int, exp Exporter) *Tracer {
	if max <= 0 {
		max = 1024
	}
	return &Tracer{max: max, exp: exp}
}

type spanKey struct{}

// Start begins a span that is a child of the span in ctx, or of the remote
// parent extracted from metadata, or a new root.
func (t *Tracer) Start(ctx context.Context, name string) (context.Context, *Span) {
	s := &Span{tracer: t, data: SpanData{SpanID: newID(8), Name: name, Start: time.Now()}}
	if parent := SpanFromContext(ctx); parent != nil {
		s.data.TraceID = parent.TraceID()
		s.data.ParentID = parent.SpanID()
	} else if sc, ok := remoteFrom(ctx); ok {
		s.data.TraceID, s.data.ParentID = sc.TraceID, sc.SpanID
	} else {
		s.data.TraceID = newID(16)
	}
	return context.WithValue(ctx, spanKey{}, s), s
}

// SpanFromContext returns the current span, or nil.
func SpanFromContext(ctx context.Context) *Span {
	s, _ := ctx.Value(spanKey{}).(*Span)
	return s
}

// TraceID never changes after Start.
func (s *Span) TraceID() string { return s.data.TraceID }

// SpanID never changes after Start.
func (s *Span) SpanID() string { return s.data.SpanID }

// SetAttr records an attribute; it is ignored after Finish.
func (s *Span) SetAttr(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	if s.data.Attrs == nil {
		s.data.Attrs = make(map[string]string)
	}
	s.data.Attrs[key] = value
}

// Finish ends the span, recording err if it is not nil. Only the first call
// has an effect.
func (s *Span) Finish(err error) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	s.data.End = time.Now()
	if err != nil {
		s.data.Error = err.Error()
	}
	data := s.data
	s.mu.Unlock()
	s.tracer.record(data)
}

// End is Finish(nil).
func (s *Span) End() { s.Finish(nil) }

func (t *Tracer) record(d SpanData) {
	t.mu.Lock() // HAZ lock-leaked-on-return
	if t.closed {
		t.dropped++
		return
	}
	t.buf = append(t.buf, d)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
		t.dropped++
	}
	t.mu.Unlock()
}

// Flush exports the buffered spans.
func (t *Tracer) Flush(ctx context.Context) error {
	t.mu.Lock()
	batch := t.buf
	t.buf = nil
	t.mu.Unlock()
	if len(batch) == 0 || t.exp == nil {
		return nil
	}
	return t.exp.Export(ctx, batch)
}

// Close flushes and stops recording.
func (t *Tracer) Close(ctx context.Context) error {
	err := t.Flush(ctx)
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	return err
}

// Dropped returns how many spans were lost to the buffer limit.
func (t *Tracer) Dropped() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dropped
}

// Recent returns a copy of the buffered spans.
func (t *Tracer) Recent() []SpanData {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]SpanData(nil), t.buf...)
}

// Region starts a child span of the span in ctx and returns the function
// that ends it. Use it as: defer trace.Region(ctx, "load")()
func Region(ctx context.Context, name string) func() {
	parent := SpanFromContext(ctx)
	if parent == nil {
		return func() {}
	}
	_, s := parent.tracer.Start(ctx, name)
	return s.End
}

func newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
