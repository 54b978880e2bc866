// Package trace records coarse timings of named regions.
package trace

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Stat aggregates the observations of one region.
type Stat struct {
	Count  int64
	Total  time.Duration
	Max    time.Duration
	Errors int64
}

// Recorder collects region timings. Use NewRecorder.
type Recorder struct {
	mu    sync.Mutex
	stats map[string]*Stat
}

var defaultRecorder = NewRecorder()

// Default returns the process-wide recorder.
func Default() *Recorder { return defaultRecorder }

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder {
	return &Recorder{stats: make(map[string]*Stat)}
}

// Observe adds one observation of region name.
func (r *Recorder) Observe(name string, d time.Duration, failed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.stats[name]
	if !ok {
		s = &Stat{}
		r.stats[name] = s
	}
	s.Count++
	s.Total += d
	if d > s.Max {
		s.Max = d
	}
	if failed {
		s.Errors++
	}
}

// Region starts a region on r; call the result to end it:
//
//	defer rec.Region("merge")()
func (r *Recorder) Region(name string) func() {
	start := time.Now()
	return func() { r.Observe(name, time.Since(start), false) }
}

// Region starts a region on the default recorder.
func Region(name string) func() { return defaultRecorder.Region(name) }

// Table is a point-in-time copy of a recorder.
type Table map[string]Stat

// Snapshot copies the current statistics.
func (r *Recorder) Snapshot() Table {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := make(Table, len(r.stats))
	for k, v := range r.stats {
		t[k] = *v
	}
	return t
}

// Print writes the table to w, slowest region first.
func (t Table) Print(w io.Writer) {
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return t[names[i]].Total > t[names[j]].Total })
	for _, n := range names {
		s := t[n]
		fmt.Fprintf(w, "%-28s n=%-6d total=%-12s max=%-10s err=%d\n", n, s.Count, s.Total, s.Max, s.Errors)
	}
}

// Span is a single traced operation with an outcome.
type Span struct {
	rec   *Recorder
	name  string
	start time.Time
}

// StartSpan begins a span on r.
func (r *Recorder) StartSpan(name string) *Span {
	return &Span{rec: r, name: name, start: time.Now()}
}

// End records the span with outcome err.
func (s *Span) End(err error) {
	s.rec.Observe(s.name, time.Since(s.start), err != nil)
}

// Finish records the span, reading the outcome through errp when called:
//
//	defer span.Finish(&err)
func (s *Span) Finish(errp *error) {
	s.End(*errp)
}
