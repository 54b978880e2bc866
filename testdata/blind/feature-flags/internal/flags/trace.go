package flags

import (
	"sync"
	"time"
)

// SpanStats aggregates the durations recorded for one span name.
type SpanStats struct {
	Count int
	Total time.Duration
	Max   time.Duration
}

// Tracer records how long named operations take. It is optional everywhere it
// is used: a nil *Tracer means tracing is disabled.
type Tracer struct {
	mu    sync.Mutex
	spans map[string]*SpanStats
	now   func() time.Time
}

// NewTracer returns an empty tracer using the wall clock.
func NewTracer() *Tracer {
	return &Tracer{spans: make(map[string]*SpanStats), now: time.Now}
}

// Start opens a span and returns the function that closes it:
//
//	defer t.Start("store.save")()
func (t *Tracer) Start(name string) func() {
	start := t.now()
	return func() {
		t.record(name, t.now().Sub(start))
	}
}

func (t *Tracer) record(name string, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.spans[name]
	if !ok {
		s = &SpanStats{}
		t.spans[name] = s
	}
	s.Count++
	s.Total += d
	if d > s.Max {
		s.Max = d
	}
}

// Stats returns a copy of the aggregated spans.
func (t *Tracer) Stats() map[string]SpanStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]SpanStats, len(t.spans))
	for name, s := range t.spans {
		out[name] = *s
	}
	return out
}
