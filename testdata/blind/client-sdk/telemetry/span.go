// Package telemetry provides lightweight tracing spans and latency metrics.
package telemetry

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"
)

// SpanData is the immutable record of an ended span.
type SpanData struct {
	Name     string            `json:"name"`
	Start    time.Time         `json:"start"`
	Duration time.Duration     `json:"duration"`
	Err      string            `json:"err,omitempty"`
	Attrs    map[string]string `json:"attrs,omitempty"`
}

// Tracer collects ended spans.
type Tracer struct {
	mu    sync.Mutex
	spans []SpanData
	hist  map[string][]time.Duration
	// OnEnd may be nil. It is called for every ended span.
	OnEnd func(SpanData)
}

// Span is an in-progress operation.
type Span struct {
	tracer *Tracer
	name   string
	start  time.Time
	mu     sync.Mutex
	attrs  map[string]string
	ended  bool
}

type spanKey struct{}

// Start begins a span and stores it in the returned context.
func (t *Tracer) Start(ctx context.Context, name string) (context.Context, *Span) {
	s := &Span{tracer: t, name: name, start: time.Now()}
	return context.WithValue(ctx, spanKey{}, s), s
}

// FromContext returns the span stored in ctx, or nil.
func FromContext(ctx context.Context) *Span {
	s, _ := ctx.Value(spanKey{}).(*Span)
	return s
}

// SetAttr records an attribute.
func (s *Span) SetAttr(k, v string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attrs == nil {
		s.attrs = make(map[string]string)
	}
	s.attrs[k] = v
}

// End finishes the span with the operation's final error.
func (s *Span) End(err error) {
	if s == nil {
		return
	}
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock() // ok: released before the early return
		return
	}
	s.ended = true
	d := SpanData{Name: s.name, Start: s.start, Duration: time.Since(s.start), Attrs: s.attrs}
	s.mu.Unlock()
	if err != nil {
		d.Err = err.Error()
	}
	s.tracer.record(d)
}

func (t *Tracer) record(d SpanData) {
	t.mu.Lock()
	t.spans = append(t.spans, d)
	t.mu.Unlock()
	t.notify(d) // ok: called after the unlock
}

// notify calls the user hook, which must not take the process down.
func (t *Tracer) notify(d SpanData) {
	if t.OnEnd == nil {
		return
	}
	defer func() { recover() }() // HAZ recover-swallows-panic
	t.OnEnd(d)
}

// notifyLogged is notify with the panic logged.
func (t *Tracer) notifyLogged(d SpanData) {
	if t.OnEnd == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			log.Printf("telemetry: OnEnd hook panicked on span %q: %v", d.Name, r) // ok: logged
		}
	}()
	t.OnEnd(d)
}

// Replay sends every recorded span to the hook again.
func (t *Tracer) Replay() {
	for _, d := range t.Drain() {
		t.notifyLogged(d)
	}
}

// Drain returns and clears the recorded spans.
func (t *Tracer) Drain() []SpanData {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.spans
	t.spans = nil
	return out
}

// Len returns the number of recorded spans.
func (t *Tracer) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.spans)
}

// Trace starts a span and returns the function that ends it.
func Trace(t *Tracer, name string) func() {
	_, s := t.Start(context.Background(), name)
	return func() { s.End(nil) }
}

// Measure returns a function that records the elapsed time under name.
func (t *Tracer) Measure(name string) func() {
	start := time.Now()
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.hist == nil {
			t.hist = make(map[string][]time.Duration)
		}
		t.hist[name] = append(t.hist[name], time.Since(start))
	}
}

// Histogram returns a copy of the durations recorded under name.
func (t *Tracer) Histogram(name string) []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]time.Duration(nil), t.hist[name]...)
}

// recordPanic ends the span with the panic and re-panics. It must be deferred directly.
func (s *Span) recordPanic() {
	if r := recover(); r != nil {
		s.SetAttr("panic", fmt.Sprint(r))
		s.End(fmt.Errorf("panic: %v", r))
		panic(r)
	}
}

// capturePanic converts a panic into an attribute and an ended span.
func (s *Span) capturePanic() {
	if r := recover(); r != nil {
		s.SetAttr("panic", fmt.Sprint(r))
		s.End(fmt.Errorf("panic: %v", r))
	}
}

// Do runs fn inside a span, ending it with fn's error.
func (t *Tracer) Do(ctx context.Context, name string, fn func(context.Context) error) (err error) {
	ctx, span := t.Start(ctx, name)
	defer func() { span.End(err) }() // ok: sees the final error
	defer span.recordPanic()         // ok: recover called directly by the deferred function
	return fn(ctx)
}

// DoQuiet runs fn inside a span and keeps a panic from escaping.
func (t *Tracer) DoQuiet(ctx context.Context, name string, fn func(context.Context) error) error {
	ctx, span := t.Start(ctx, name)
	defer func() { span.capturePanic() }() // HAZ recover-ineffective
	err := fn(ctx)
	span.End(err)
	return err
}
