// Package trace records operation latencies for the debug endpoint.
package trace

import (
	"log"
	"sort"
	"sync"
	"time"
)

// Recorder collects latency samples per operation.
type Recorder struct {
	mu      sync.Mutex
	samples map[string][]time.Duration
	limit   int
}

// NewRecorder keeps at most limit samples per operation.
func NewRecorder(limit int) *Recorder {
	if limit <= 0 {
		limit = 1024
	}
	return &Recorder{samples: make(map[string][]time.Duration), limit: limit}
}

// Observe records one sample for op.
func (r *Recorder) Observe(op string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := append(r.samples[op], d)
	if len(s) > r.limit {
		s = s[len(s)-r.limit:]
	}
	r.samples[op] = s
}

// Count returns how many samples op has.
func (r *Recorder) Count(op string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.samples[op])
}

// Percentile returns the p-th percentile (0..100) of op's samples.
func (r *Recorder) Percentile(op string, p float64) time.Duration {
	r.mu.Lock()
	s := append([]time.Duration(nil), r.samples[op]...)
	r.mu.Unlock()
	if len(s) == 0 {
		return 0
	}
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

// Ops lists the recorded operation names.
func (r *Recorder) Ops() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.samples))
	for op := range r.samples {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}

// Region starts timing op and returns the function that stops the clock.
func (r *Recorder) Region(op string) func() {
	start := time.Now()
	return func() { r.Observe(op, time.Since(start)) }
}

// Span is a timed operation that may end with an error.
type Span struct {
	rec   *Recorder
	op    string
	start time.Time
	err   error
}

// Start opens a span for op.
func (r *Recorder) Start(op string) *Span {
	return &Span{rec: r, op: op, start: time.Now()}
}

// SetError marks the span failed.
func (s *Span) SetError(err error) {
	s.err = err
}

// End records the span.
func (s *Span) End() {
	op := s.op
	if s.err != nil {
		op += ".error"
	}
	s.rec.Observe(op, time.Since(s.start))
}

// Logged returns a func that logs how long name took; use as defer trace.Logged("x")().
func Logged(logger *log.Logger, name string) func() {
	start := time.Now()
	return func() {
		logger.Printf("trace: %s took %s", name, time.Since(start).Round(time.Microsecond))
	}
}
