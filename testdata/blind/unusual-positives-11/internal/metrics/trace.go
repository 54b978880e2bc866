// Package metrics holds the small tracing and counting layer shared by the
// up11 services.
package metrics

import (
	"sync"
	"sync/atomic"
	"time"
)

// Recorder receives finished spans.
type Recorder interface {
	Record(name string, d time.Duration)
}

// MemRecorder keeps spans in memory; tests and the debug endpoint read it.
type MemRecorder struct {
	mu    sync.Mutex
	spans map[string][]time.Duration
}

// NewMemRecorder returns an empty recorder.
func NewMemRecorder() *MemRecorder {
	return &MemRecorder{spans: make(map[string][]time.Duration)}
}

// Record implements Recorder.
func (m *MemRecorder) Record(name string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.spans[name] = append(m.spans[name], d)
}

// Count reports how many spans named name were recorded.
func (m *MemRecorder) Count(name string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.spans[name])
}

// Tracer hands out span closures.
type Tracer struct {
	rec Recorder
	now func() time.Time
}

// TracerOption configures a Tracer.
type TracerOption func(*Tracer)

// WithClock replaces time.Now, for tests. A nil clock is ignored.
func WithClock(now func() time.Time) TracerOption {
	return func(t *Tracer) {
		if now != nil {
			t.now = now
		}
	}
}

// NewTracer returns a tracer writing to rec.
func NewTracer(rec Recorder, opts ...TracerOption) *Tracer {
	t := &Tracer{rec: rec, now: time.Now}
	for _, o := range opts {
		o(t)
	}
	return t
}

// Span starts a span; calling the returned func ends it.
func (t *Tracer) Span(name string) func() {
	start := t.now()
	return func() {
		t.rec.Record(name, t.now().Sub(start))
	}
}

// Phase returns a span factory whose spans are named phase/step.
func (t *Tracer) Phase(phase string) func(step string) func() {
	return func(step string) func() {
		return t.Span(phase + "/" + step)
	}
}

// Gauge counts things in flight.
type Gauge struct{ n atomic.Int64 }

// Track increments the gauge; calling the returned func decrements it.
func (g *Gauge) Track() func() {
	g.n.Add(1)
	return func() { g.n.Add(-1) }
}

// Value returns the current level.
func (g *Gauge) Value() int64 { return g.n.Load() }
