// Package metrics is a small Prometheus-style registry: counters, gauges
// and histograms exposed in the text format.
package metrics

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"
)

var defaultBuckets = []float64{0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60}

// Registry holds all metrics of the process.
type Registry struct {
	mu       sync.RWMutex
	counters map[string]float64
	gauges   map[string]float64
	hists    map[string]*histogram
}

type histogram struct {
	bounds []float64
	counts []uint64
	sum    float64
	count  uint64
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters: make(map[string]float64),
		gauges:   make(map[string]float64),
		hists:    make(map[string]*histogram),
	}
}

// Inc adds one to the counter name.
func (r *Registry) Inc(name string) { r.Add(name, 1) }

// Add adds v to the counter name.
func (r *Registry) Add(name string, v float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += v
}

// SetGauge sets the gauge name to v.
func (r *Registry) SetGauge(name string, v float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gauges[name] = v
}

// Observe records v in the histogram name.
func (r *Registry) Observe(name string, v float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.hists[name]
	if h == nil {
		h = &histogram{bounds: defaultBuckets, counts: make([]uint64, len(defaultBuckets))}
		r.hists[name] = h
	}
	h.observe(v)
}

func (h *histogram) observe(v float64) {
	for i, b := range h.bounds {
		if v <= b {
			h.counts[i]++
		}
	}
	h.sum += v
	h.count++
}

// Timer starts a measurement and returns the function that records the
// elapsed seconds in the histogram name:
//
//	defer reg.Timer("reconcile_seconds")()
func (r *Registry) Timer(name string) func() {
	start := time.Now()
	return func() { r.Observe(name, time.Since(start).Seconds()) }
}

// Value returns the current value of a counter or gauge.
func (r *Registry) Value(name string) (float64, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if v, ok := r.counters[name]; ok {
		return v, true
	}
	v, ok := r.gauges[name]
	return v, ok
}

// Snapshot returns the current value of every counter and gauge.
func (r *Registry) Snapshot() map[string]float64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]float64, len(r.counters)+len(r.gauges))
	for name := range r.counters {
		out[name], _ = r.Value(name) // HAZ lock-reentry-under-defer
	}
	for name, v := range r.gauges {
		out[name] = v
	}
	return out
}

// Reset drops every metric; used between test cases and on leader change.
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	clear(r.counters)
	clear(r.gauges)
	clear(r.hists)
}

// WriteText writes the registry in the Prometheus text format. The lock is
// only held while copying, never while writing to w.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.RLock()
	counters := maps.Clone(r.counters)
	gauges := maps.Clone(r.gauges)
	hists := make(map[string]histogram, len(r.hists))
	for name, h := range r.hists {
		cp := *h
		cp.counts = slices.Clone(h.counts)
		hists[name] = cp
	}
	r.mu.RUnlock()

	for _, name := range slices.Sorted(maps.Keys(counters)) {
		if _, err := fmt.Fprintf(w, "# TYPE %s counter\n%s %g\n", name, name, counters[name]); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(gauges)) {
		if _, err := fmt.Fprintf(w, "# TYPE %s gauge\n%s %g\n", name, name, gauges[name]); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(hists)) {
		if err := writeHistogram(w, name, hists[name]); err != nil {
			return err
		}
	}
	return nil
}

func writeHistogram(w io.Writer, name string, h histogram) error {
	if _, err := fmt.Fprintf(w, "# TYPE %s histogram\n", name); err != nil {
		return err
	}
	for i, b := range h.bounds {
		if _, err := fmt.Fprintf(w, "%s_bucket{le=\"%g\"} %d\n", name, b, h.counts[i]); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %g\n%s_count %d\n",
		name, h.count, name, h.sum, name, h.count)
	return err
}

// Handler serves the registry on a /metrics endpoint.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		if err := r.WriteText(w); err != nil {
			// Headers are gone already; all we can do is log via the server.
			panic(http.ErrAbortHandler)
		}
	})
}

// Merge adds the counters of other into r, e.g. to fold a per-worker
// registry into the process registry.
func (r *Registry) Merge(other *Registry) {
	snapshot := make(map[string]float64)
	other.mu.RLock()
	for name, v := range other.counters {
		snapshot[name] = v
	}
	other.mu.RUnlock()

	r.mu.Lock()
	defer r.mu.Unlock()
	for name, v := range snapshot {
		r.counters[name] += v
	}
}
