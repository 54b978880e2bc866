// Package obs holds the small latency recorder and tracing helpers used by
// the snapshot service.
package obs

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

const maxSamples = 1024

// Recorder keeps a bounded window of latency samples per operation name.
type Recorder struct {
	mu      sync.Mutex
	samples map[string][]time.Duration
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder {
	return &Recorder{samples: make(map[string][]time.Duration)}
}

var (
	std      = NewRecorder()
	active   atomic.Int64
	failures atomic.Int64
)

// Default returns the process-wide recorder.
func Default() *Recorder { return std }

// Add records one sample for name, dropping the oldest one when the window
// is full.
func (r *Recorder) Add(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.samples[name]
	if len(s) >= maxSamples {
		copy(s, s[1:])
		s = s[:len(s)-1]
	}
	r.samples[name] = append(s, d)
}

// Percentile returns the p-th percentile (0..100) of the samples for name.
func (r *Recorder) Percentile(name string, p float64) time.Duration {
	r.mu.Lock()
	s := append([]time.Duration(nil), r.samples[name]...)
	r.mu.Unlock()
	if len(s) == 0 {
		return 0
	}
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	idx := int(float64(len(s)-1) * p / 100)
	return s[idx]
}

// Dump writes p50 and p99 of every operation to w, sorted by name.
func (r *Recorder) Dump(w io.Writer) error {
	r.mu.Lock()
	names := make([]string, 0, len(r.samples))
	for n := range r.samples {
		names = append(names, n)
	}
	r.mu.Unlock()
	sort.Strings(names)
	for _, n := range names {
		_, err := fmt.Fprintf(w, "%-24s p50=%-10v p99=%v\n", n, r.Percentile(n, 50), r.Percentile(n, 99))
		if err != nil {
			return err
		}
	}
	return nil
}

// Region starts a timed region and returns the func that ends it:
//
//	defer obs.Region("api.get")()
func Region(name string) func() {
	start := time.Now()
	active.Add(1)
	return func() {
		active.Add(-1)
		std.Add(name, time.Since(start))
	}
}

// Active reports how many regions are currently open.
func Active() int64 { return active.Load() }

// Since records the time elapsed since start under name. It is meant to be
// deferred with the start time taken at the defer statement:
//
//	defer obs.Since("gc.sweep", time.Now())
func Since(name string, start time.Time) {
	std.Add(name, time.Since(start))
}

// Span is a single traced operation.
type Span struct {
	Name  string
	start time.Time
	ended atomic.Bool
}

// StartSpan starts a span named name.
func StartSpan(name string) *Span {
	return &Span{Name: name, start: time.Now()}
}

// End finishes the span with its outcome. Calls after the first are ignored.
func (s *Span) End(err error) {
	if s.ended.Swap(true) {
		return
	}
	name := s.Name
	if err != nil {
		name += ".error"
		failures.Add(1)
	}
	std.Add(name, time.Since(s.start))
}

// Failures reports how many spans ended with an error.
func Failures() int64 { return failures.Load() }
