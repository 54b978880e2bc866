// Package tracing is a small span tracer whose helpers return end
// functions meant to be deferred.
package tracing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// SpanData is a finished span as handed to exporters.
type SpanData struct {
	TraceID  string
	SpanID   string
	ParentID string
	Name     string
	Start    time.Time
	Duration time.Duration
	Attrs    map[string]string
	Err      string
}

// Exporter receives finished spans.
type Exporter interface {
	Export(SpanData) error
}

// Tracer creates spans.
type Tracer struct {
	exp Exporter
	now func() time.Time
}

// NewTracer returns a tracer exporting to exp; nil drops spans.
func NewTracer(exp Exporter) *Tracer {
	return &Tracer{exp: exp, now: time.Now}
}

// Span is an in-progress operation. Like a bytes.Buffer, a Span belongs
// to the goroutine that started it and is not safe for concurrent use.
type Span struct {
	t     *Tracer
	data  SpanData
	ended bool
}

type spanKey struct{}

// FromContext returns the span stored in ctx, or nil.
func FromContext(ctx context.Context) *Span {
	s, _ := ctx.Value(spanKey{}).(*Span)
	return s
}

func newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Start begins a span as a child of the span in ctx.
func (t *Tracer) Start(ctx context.Context, name string) (context.Context, *Span) {
	s := &Span{t: t, data: SpanData{Name: name, SpanID: newID(8), Start: t.now(), Attrs: map[string]string{}}}
	if parent := FromContext(ctx); parent != nil {
		s.data.TraceID = parent.data.TraceID
		s.data.ParentID = parent.data.SpanID
	} else {
		s.data.TraceID = newID(16)
	}
	return context.WithValue(ctx, spanKey{}, s), s
}

// SetAttr records an attribute.
func (s *Span) SetAttr(k, v string) {
	s.data.Attrs[k] = v
}

// SetError records err on the span; nil is ignored.
func (s *Span) SetError(err error) {
	if err == nil {
		return
	}
	s.data.Err = err.Error()
}

// Finish ends the span and exports it. Only the first call exports.
func (s *Span) Finish() error {
	if s.ended {
		return nil
	}
	s.ended = true
	s.data.Duration = s.t.now().Sub(s.data.Start)
	if s.t.exp == nil {
		return nil
	}
	return s.t.exp.Export(s.data)
}

// End is Finish for defer statements that do not care about export errors.
func (s *Span) End() { _ = s.Finish() }

// EndErr records *errp, read when the deferred call runs, and ends the span:
//
//	defer span.EndErr(&err)
func (s *Span) EndErr(errp *error) {
	if errp != nil {
		s.SetError(*errp)
	}
	s.End()
}

// Region starts a span and returns the function that ends it:
//
//	defer tr.Region(ctx, "load")()
func (t *Tracer) Region(ctx context.Context, name string) func() {
	_, s := t.Start(ctx, name)
	return s.End
}

// StartRegion is Region that also returns the child context.
func (t *Tracer) StartRegion(ctx context.Context, name string) (context.Context, func()) {
	ctx, s := t.Start(ctx, name)
	return ctx, s.End
}

// Measure returns a function that reports the elapsed time to observe.
func Measure(name string, observe func(string, time.Duration)) func() {
	start := time.Now()
	return func() { observe(name, time.Since(start)) }
}

// Run runs fn in a span, recording its error. The export error is joined
// into the named result by the deferred closure.
func (t *Tracer) Run(ctx context.Context, name string, fn func(context.Context) error) (err error) {
	ctx, s := t.Start(ctx, name)
	defer func() {
		s.SetError(err)
		if ferr := s.Finish(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	return fn(ctx)
}

// WithSpan runs fn in a span and returns fn's error or, failing that, the
// export error.
func (t *Tracer) WithSpan(ctx context.Context, name string, fn func(context.Context) error) error {
	ctx, s := t.Start(ctx, name)
	var err error
	defer func() { // HAZ defer-ineffective-return
		s.SetError(err)
		if ferr := s.Finish(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	err = fn(ctx)
	return err
}

// Traced wraps fn so every call runs in a span named name.
func (t *Tracer) Traced(name string, fn func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) (err error) {
		ctx, s := t.Start(ctx, name)
		defer s.EndErr(&err)
		return fn(ctx)
	}
}
