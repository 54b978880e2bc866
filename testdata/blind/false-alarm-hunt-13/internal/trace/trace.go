// Package trace is a small in-process span and latency recorder used by the
// storage and RPC layers. It mirrors the shape of the tracing APIs found in
// large Go services (Start/Finish spans, "defer Track(name)()" timers) without
// any exporter.
package trace

import (
	"sort"
	"sync"
	"time"
)

// Span is one timed operation. A nil *Recorder hands out spans that record
// nothing, so callers never need to nil-check their tracer before Start.
type Span struct {
	rec   *Recorder
	name  string
	start time.Time
	attrs map[string]string
}

// FinishedSpan is the immutable record kept by a Recorder.
type FinishedSpan struct {
	Name     string
	Duration time.Duration
	Err      string
	Attrs    map[string]string
}

// Recorder collects finished spans and per-operation latency totals.
type Recorder struct {
	mu      sync.Mutex
	spans   []FinishedSpan
	totals  map[string]time.Duration
	counts  map[string]int
	maxKept int
	now     func() time.Time
}

// NewRecorder returns a Recorder that keeps at most maxKept finished spans.
func NewRecorder(maxKept int) *Recorder {
	if maxKept <= 0 {
		maxKept = 1024
	}
	return &Recorder{
		totals:  make(map[string]time.Duration),
		counts:  make(map[string]int),
		maxKept: maxKept,
		now:     time.Now,
	}
}

// Start begins a span named name.
func (r *Recorder) Start(name string) *Span {
	if r == nil {
		return &Span{name: name, attrs: map[string]string{}}
	}
	return &Span{rec: r, name: name, start: r.now(), attrs: map[string]string{}}
}

// SetAttr attaches a key/value attribute to the span.
func (s *Span) SetAttr(k, v string) {
	s.attrs[k] = v
}

// Finish records the span with its outcome err (nil for success).
func (s *Span) Finish(err error) {
	if s.rec == nil {
		return
	}
	fs := FinishedSpan{Name: s.name, Duration: s.rec.now().Sub(s.start), Attrs: s.attrs}
	if err != nil {
		fs.Err = err.Error()
	}
	s.rec.record(fs)
}

func (r *Recorder) record(fs FinishedSpan) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.observeLocked(fs.Name, fs.Duration)
	if len(r.spans) == r.maxKept {
		copy(r.spans, r.spans[1:])
		r.spans = r.spans[:len(r.spans)-1]
	}
	r.spans = append(r.spans, fs)
}

// Track starts timing name and returns the function that stops the clock.
// The intended use is
//
//	defer rec.Track("compact")()
func (r *Recorder) Track(name string) func() {
	if r == nil {
		return func() {}
	}
	start := r.now()
	return func() {
		r.Observe(name, r.now().Sub(start))
	}
}

// Observe adds one latency sample for name.
func (r *Recorder) Observe(name string, d time.Duration) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.observeLocked(name, d)
}

// ObserveSince records the time elapsed between start and now. It is meant to
// be deferred with a start time captured earlier:
//
//	start := time.Now()
//	defer rec.ObserveSince("op", start)
func (r *Recorder) ObserveSince(name string, start time.Time) {
	if r == nil {
		return
	}
	r.Observe(name, r.now().Sub(start))
}

// observeLocked updates the totals; r.mu must be held.
func (r *Recorder) observeLocked(name string, d time.Duration) {
	r.totals[name] += d
	r.counts[name]++
}

// Reset drops every recorded span and latency total.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	r.spans = r.spans[:0]
	clear(r.totals)
	clear(r.counts)
}

// Spans returns a copy of the finished spans, sorted by name.
func (r *Recorder) Spans() []FinishedSpan {
	r.mu.Lock()
	out := make([]FinishedSpan, len(r.spans))
	copy(out, r.spans)
	r.mu.Unlock()

	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
