// Package obs holds the small observability helpers shared by the engine:
// latency summaries, gauges and a minimal tracing span.
package obs

import (
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Summary accumulates latencies of one operation. All fields are updated
// atomically so that recording never blocks the hot path.
type Summary struct {
	count atomic.Int64
	total atomic.Int64
	max   atomic.Int64
}

// SummaryView is a point-in-time copy of a Summary.
type SummaryView struct {
	Name  string
	Count int64
	Mean  time.Duration
	Max   time.Duration
}

// Registry keeps one Summary per operation name.
type Registry struct {
	stats sync.Map // string -> *Summary
}

// Default is the process-wide registry used by Track.
var Default = &Registry{}

// Track starts timing an operation and returns the func that records it.
// The intended use is: defer obs.Track("book.submit")()
func Track(name string) func() {
	start := time.Now()
	return func() {
		Default.Observe(name, time.Since(start))
	}
}

// Observe records one latency sample for name.
func (r *Registry) Observe(name string, d time.Duration) {
	v, ok := r.stats.Load(name)
	if !ok {
		v, _ = r.stats.LoadOrStore(name, &Summary{})
	}
	s := v.(*Summary)
	s.count.Add(1)
	s.total.Add(int64(d))
	for {
		cur := s.max.Load()
		if int64(d) <= cur || s.max.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

// Views returns the summaries sorted by name.
func (r *Registry) Views() []SummaryView {
	var out []SummaryView
	r.stats.Range(func(k, v any) bool {
		s := v.(*Summary)
		n := s.count.Load()
		view := SummaryView{Name: k.(string), Count: n, Max: time.Duration(s.max.Load())}
		if n > 0 {
			view.Mean = time.Duration(s.total.Load() / n)
		}
		out = append(out, view)
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Gauge is an int64 gauge safe for concurrent use.
type Gauge struct{ v atomic.Int64 }

// Add moves the gauge by d.
func (g *Gauge) Add(d int64) { g.v.Add(d) }

// Value reads the gauge.
func (g *Gauge) Value() int64 { return g.v.Load() }

// Tracer hands out spans; a disabled tracer hands out nil spans, which are
// valid receivers for End.
type Tracer struct {
	logger  *log.Logger
	enabled bool
}

// NewTracer returns a tracer that logs finished spans to logger.
func NewTracer(logger *log.Logger, enabled bool) *Tracer {
	return &Tracer{logger: logger, enabled: enabled}
}

// Span is one traced operation.
type Span struct {
	name   string
	key    string
	start  time.Time
	logger *log.Logger
}

// Start opens a span for the operation name on key (usually a symbol).
func (t *Tracer) Start(name, key string) *Span {
	if t == nil || !t.enabled {
		return nil
	}
	return &Span{name: name, key: key, start: time.Now(), logger: t.logger}
}

// End finishes the span and logs its duration.
func (s *Span) End() {
	if s == nil || s.logger == nil {
		return
	}
	s.logger.Printf("trace %s key=%s took=%s", s.name, s.key, time.Since(s.start))
}
