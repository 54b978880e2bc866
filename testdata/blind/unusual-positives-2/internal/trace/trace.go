// Package trace records named durations and offers small span helpers.
package trace

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Recorder collects durations per name.
type Recorder struct {
	mu      sync.Mutex
	samples map[string][]time.Duration
	out     io.Writer
}

// NewRecorder returns a Recorder that reports to out.
func NewRecorder(out io.Writer) *Recorder {
	return &Recorder{samples: make(map[string][]time.Duration), out: out}
}

// Observe records one duration under name.
func (r *Recorder) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.samples[name] = append(r.samples[name], d)
}

// Time starts a timer for name; call the returned func to stop it.
func (r *Recorder) Time(name string) func() {
	start := time.Now()
	return func() { r.Observe(name, time.Since(start)) }
}

// Stats is a point-in-time copy of a Recorder.
type Stats struct {
	Count map[string]int
	Total map[string]time.Duration
	out   io.Writer
}

// Snapshot copies the current counters.
func (r *Recorder) Snapshot() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := Stats{Count: make(map[string]int), Total: make(map[string]time.Duration), out: r.out}
	for name, ds := range r.samples {
		st.Count[name] = len(ds)
		for _, d := range ds {
			st.Total[name] += d
		}
	}
	return st
}

// Report writes the stats, one line per name, sorted by name.
func (s Stats) Report() {
	names := make([]string, 0, len(s.Count))
	for n := range s.Count {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(s.out, "%-24s n=%-6d total=%s\n", n, s.Count[n], s.Total[n])
	}
}

// Span is an in-flight operation.
type Span struct {
	Name  string
	Err   error
	start time.Time
	rec   *Recorder
}

// Start opens a span.
func (r *Recorder) Start(name string) *Span {
	return &Span{Name: name, start: time.Now(), rec: r}
}

// End closes the span.
func (s *Span) End() { s.rec.Observe(s.Name, time.Since(s.start)) }

// Finish closes the span and records its outcome.
func (s *Span) Finish(err error) {
	s.Err = err
	name := s.Name
	if err != nil {
		name += ".error"
	}
	s.rec.Observe(name, time.Since(s.start))
}
