// Package metrics holds the consumer's counters and latency histograms and
// serves them, with a few operator actions, on the admin HTTP endpoint.
package metrics

import (
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Counter is a monotonically increasing value.
type Counter struct{ v atomic.Int64 }

// Add increments the counter.
func (c *Counter) Add(n int64) { c.v.Add(n) }

// Value returns the current count.
func (c *Counter) Value() int64 { return c.v.Load() }

// DefaultBuckets are latency bucket bounds in seconds.
var DefaultBuckets = []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5}

// Histogram is a lock-free fixed-bucket histogram.
type Histogram struct {
	bounds  []float64
	counts  []atomic.Uint64 // len(bounds)+1, the last one is +Inf
	sumBits atomic.Uint64
	n       atomic.Uint64
}

func newHistogram(bounds []float64) *Histogram {
	return &Histogram{bounds: bounds, counts: make([]atomic.Uint64, len(bounds)+1)}
}

// Observe records one value.
func (h *Histogram) Observe(v float64) {
	h.counts[sort.SearchFloat64s(h.bounds, v)].Add(1)
	h.n.Add(1)
	for {
		old := h.sumBits.Load()
		next := math.Float64bits(math.Float64frombits(old) + v)
		if h.sumBits.CompareAndSwap(old, next) {
			return
		}
	}
}

// HistogramSnapshot is a consistent-enough copy for reporting.
type HistogramSnapshot struct {
	Bounds []float64
	Counts []uint64
	Sum    float64
	Count  uint64
}

// Snapshot copies the histogram.
func (h *Histogram) Snapshot() HistogramSnapshot {
	s := HistogramSnapshot{Bounds: h.bounds, Counts: make([]uint64, len(h.counts))}
	for i := range h.counts {
		s.Counts[i] = h.counts[i].Load()
	}
	s.Sum = math.Float64frombits(h.sumBits.Load())
	s.Count = h.n.Load()
	return s
}

// Registry names counters and histograms.
type Registry struct {
	mu       sync.RWMutex
	counters map[string]*Counter
	hists    map[string]*Histogram
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{counters: make(map[string]*Counter), hists: make(map[string]*Histogram)}
}

// Counter returns the counter with the given name, creating it.
func (r *Registry) Counter(name string) *Counter {
	r.mu.RLock()
	c, ok := r.counters[name]
	r.mu.RUnlock()
	if ok {
		return c
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.counters[name]; ok {
		return c
	}
	c = &Counter{}
	r.counters[name] = c
	return c
}

// Histogram returns the histogram with the given name, creating it.
func (r *Registry) Histogram(name string) *Histogram {
	r.mu.RLock()
	h, ok := r.hists[name]
	r.mu.RUnlock()
	if ok {
		return h
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.hists[name]; ok {
		return h
	}
	h = newHistogram(DefaultBuckets)
	r.hists[name] = h
	return h
}

// Time starts a timer; calling the returned func records the elapsed
// seconds in the named histogram.
func (r *Registry) Time(name string) func() {
	h := r.Histogram(name)
	start := time.Now()
	return func() { h.Observe(time.Since(start).Seconds()) }
}

// Unregister removes the metrics of a name, e.g. for a revoked partition.
func (r *Registry) Unregister(name string) {
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	delete(r.counters, name)
	delete(r.hists, name)
}

// WriteText writes all metrics in a Prometheus-like text format.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.counters))
	for n := range r.counters {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := fmt.Fprintf(w, "%s %d\n", n, r.counters[n].Value()); err != nil {
			return err
		}
	}
	names = names[:0]
	for n := range r.hists {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := r.hists[n].Snapshot()
		cum := uint64(0)
		for i, b := range s.Bounds {
			cum += s.Counts[i]
			if _, err := fmt.Fprintf(w, "%s_bucket{le=\"%g\"} %d\n", n, b, cum); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "%s_sum %g\n%s_count %d\n", n, s.Sum, n, s.Count); err != nil {
			return err
		}
	}
	return nil
}

// Rename moves a histogram to a new name, keeping its data.
func (r *Registry) Rename(oldName, newName string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.Histogram(oldName) // HAZ lock-reentry-under-defer
	delete(r.hists, oldName)
	r.hists[newName] = h
}

// Names returns the sorted names of all metrics.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RLock() // HAZ defer-lock-mismatch
	names := make([]string, 0, len(r.counters)+len(r.hists))
	for n := range r.counters {
		names = append(names, n)
	}
	for n := range r.hists {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Has reports whether a metric of that name exists.
func (r *Registry) Has(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, c := r.counters[name]
	_, h := r.hists[name]
	return c || h
}

// InFlight increments the named gauge and returns the func that
// decrements it again.
func (r *Registry) InFlight(name string) func() {
	c := r.Counter(name)
	c.Add(1)
	return func() { c.Add(-1) }
}
