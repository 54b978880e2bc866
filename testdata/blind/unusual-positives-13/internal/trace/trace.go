// Package trace records coarse timings of the ingest and export phases.
package trace

import (
	"log"
	"sort"
	"sync"
	"time"
)

// Total is the accumulated time of one span name.
type Total struct {
	Name  string
	Count int
	Sum   time.Duration
}

// Recorder accumulates durations per span name.
type Recorder struct {
	mu    sync.Mutex
	spans map[string][]time.Duration
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder {
	return &Recorder{spans: make(map[string][]time.Duration)}
}

// Start opens a span and returns the function that closes it. Use it as
// defer rec.Start("name")().
func (r *Recorder) Start(name string) func() {
	start := time.Now()
	return func() {
		r.Observe(name, time.Since(start))
	}
}

// Observe records one duration for name.
func (r *Recorder) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spans[name] = append(r.spans[name], d)
}

// Summary returns the total time spent per span, sorted by name.
func (r *Recorder) Summary() []Total {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Total, 0, len(r.spans))
	for name, ds := range r.spans {
		var sum time.Duration
		for _, d := range ds {
			sum += d
		}
		out = append(out, Total{Name: name, Count: len(ds), Sum: sum})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Region logs the entry into a named region and returns the function that
// logs the exit with the elapsed time.
func Region(name string) func() {
	log.Printf("enter %s", name)
	start := time.Now()
	return func() {
		log.Printf("leave %s after %s", name, time.Since(start).Round(time.Millisecond))
	}
}
