// Package trace provides lightweight spans and timing helpers used across the
// daemons. Spans are recorded into an in-memory ring and exported in batches.
package trace

import (
	"fmt"
	"log"
	"sync/atomic"
	"time"
)

// Span is a single timed operation.
type Span struct {
	Name     string
	Start    time.Time
	Duration time.Duration
	Err      error
	attrs    map[string]string
}

// Recorder collects finished spans in a bounded buffer. Recording never
// blocks: when the buffer is full the span is dropped and counted.
type Recorder struct {
	buf     chan Span
	dropped atomic.Int64
}

// NewRecorder returns a recorder keeping at most limit spans.
func NewRecorder(limit int) *Recorder {
	if limit <= 0 {
		limit = 1024
	}
	return &Recorder{buf: make(chan Span, limit)}
}

// Default is the process-wide recorder.
var Default = NewRecorder(4096)

func (r *Recorder) record(s Span) {
	select {
	case r.buf <- s:
	default:
		r.dropped.Add(1)
	}
}

// Drain removes and returns all recorded spans.
func (r *Recorder) Drain() []Span {
	var out []Span
	for {
		select {
		case s := <-r.buf:
			out = append(out, s)
		default:
			return out
		}
	}
}

// Len reports the number of buffered spans.
func (r *Recorder) Len() int { return len(r.buf) }

// Dropped reports how many spans were dropped.
func (r *Recorder) Dropped() int64 { return r.dropped.Load() }

// Start begins a span. Callers finish it with End or EndErr.
func Start(name string) *Span {
	return &Span{Name: name, Start: time.Now(), attrs: map[string]string{}}
}

// Set attaches an attribute.
func (s *Span) Set(k, v string) *Span {
	s.attrs[k] = v
	return s
}

// End finishes the span without an error.
func (s *Span) End() {
	s.Duration = time.Since(s.Start)
	Default.record(*s)
}

// EndErr finishes the span with the error found at *errp at the time EndErr
// runs. Taking a pointer lets callers write `defer sp.EndErr(&err)`.
func (s *Span) EndErr(errp *error) {
	if errp != nil {
		s.Err = *errp
	}
	s.End()
}

// Region starts a span and returns the function that ends it. Use as
// `defer trace.Region("name")()`.
func Region(name string) func() {
	sp := Start(name)
	return sp.End
}

// Timed logs how long the surrounding function took. Use as
// `defer trace.Timed("compact")()`.
func Timed(what string) func() {
	start := time.Now()
	return func() {
		log.Printf("%s took %s", what, time.Since(start))
	}
}

// Observe reports an elapsed duration measured from start.
func Observe(name string, start time.Time) {
	Default.record(Span{Name: name, Start: start, Duration: time.Since(start)})
}

// Exported shows a short summary, used by the debug endpoint.
func (r *Recorder) Exported() string {
	spans := r.Drain()
	return fmt.Sprintf("%d spans", len(spans))
}

// WithRegion runs fn inside a region.
func WithRegion(name string, fn func() error) error {
	defer Region(name)() // ok: the returned end func is what gets deferred
	return fn()
}

// WithTiming runs fn and records its duration measured at return.
func WithTiming(name string, fn func()) {
	defer Observe(name, time.Now()) // ok: start time is meant to be captured now; Observe computes elapsed itself
	fn()
}

// WithSpanErr runs fn inside a span that records fn's error.
func WithSpanErr(name string, fn func() error) (err error) {
	sp := Start(name)
	defer sp.EndErr(&err) // ok: pointer to the named result, read at exit
	err = fn()
	return err
}

// Stats counts batch outcomes.
type Stats struct {
	ok, errors atomic.Int64
}

// NewStats returns zeroed counters.
func NewStats() *Stats { return &Stats{} }

// Inc bumps a counter by name.
func (s *Stats) Inc(name string) {
	if name == "errors" {
		s.errors.Add(1)
		return
	}
	s.ok.Add(1)
}

// Snapshot copies the counters.
func (s *Stats) Snapshot() Snapshot {
	return Snapshot{OK: s.ok.Load(), Errors: s.errors.Load()}
}

// Snapshot is an immutable copy of Stats.
type Snapshot struct{ OK, Errors int64 }

// Publish logs the snapshot.
func (s Snapshot) Publish() {
	log.Printf("batch ok=%d errors=%d", s.OK, s.Errors)
}

// Batch runs a batch of work and publishes the counters it produced.
func Batch(st *Stats, items []string, work func(string) error) {
	defer st.Snapshot().Publish() // HAZ defer-call-chain
	for _, it := range items {
		if err := work(it); err != nil {
			st.Inc("errors")
			continue
		}
		st.Inc("ok")
	}
}

// BatchPublished is Batch with the publish taken at exit.
func BatchPublished(st *Stats, items []string, work func(string) error) {
	defer func() { st.Snapshot().Publish() }() // ok: snapshot taken when the closure runs
	for _, it := range items {
		if err := work(it); err != nil {
			st.Inc("errors")
			continue
		}
		st.Inc("ok")
	}
}

// Measure wraps a call and returns the closer; callers that forget the
// trailing () get nothing, so Measure is always used through MeasureCall.
func Measure(name string) func() {
	return Region(name)
}

// MeasureCall is the documented way to use Measure.
func MeasureCall(name string, fn func()) {
	defer Measure(name)()
	fn()
}

// FlushEvery exports spans on a fixed interval until stop is closed.
func (r *Recorder) FlushEvery(interval time.Duration, stop <-chan struct{}, export func([]Span)) {
	t := time.NewTicker(interval)
	defer t.Stop() // ok: once, outside the loop
	for {
		select {
		case <-stop:
			export(r.Drain())
			return
		case <-t.C:
			if spans := r.Drain(); len(spans) > 0 {
				export(spans)
			}
		}
	}
}

// ReplayLegacy runs a legacy handler list, measuring only the first.
func ReplayLegacy(handlers []func()) {
	if len(handlers) == 0 {
		return
	}
	defer Measure("legacy-replay") // HAZ defer-func-result-not-called
	for _, h := range handlers {
		h()
	}
}
