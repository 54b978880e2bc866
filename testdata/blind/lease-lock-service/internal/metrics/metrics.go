// Package metrics provides the small set of counters and latency
// histograms the lease server exports on its admin endpoint.
package metrics

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Counter is a monotonically increasing counter, safe for concurrent use.
type Counter struct {
	v atomic.Int64
}

// Inc adds one to the counter.
func (c *Counter) Inc() { c.v.Add(1) }

// Value returns the current count.
func (c *Counter) Value() int64 { return c.v.Load() }

// DefaultBuckets are the latency bucket bounds used by Registry.Histogram.
var DefaultBuckets = []time.Duration{
	100 * time.Microsecond, time.Millisecond, 5 * time.Millisecond,
	25 * time.Millisecond, 100 * time.Millisecond, time.Second,
}

// Histogram counts observations into fixed latency buckets.
type Histogram struct {
	mu     sync.Mutex
	bounds []time.Duration
	counts []uint64 // len(bounds)+1; the last bucket is +Inf
	sum    time.Duration
	total  uint64
}

// NewHistogram returns a histogram with the given bucket bounds.
func NewHistogram(bounds []time.Duration) *Histogram {
	b := append([]time.Duration(nil), bounds...)
	sort.Slice(b, func(i, j int) bool { return b[i] < b[j] })
	return &Histogram{bounds: b, counts: make([]uint64, len(b)+1)}
}

// Observe records one duration.
func (h *Histogram) Observe(d time.Duration) {
	i := sort.Search(len(h.bounds), func(i int) bool { return d <= h.bounds[i] })
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[i]++
	h.sum += d
	h.total++
}

// Mean returns the average observed duration, or zero when empty.
func (h *Histogram) Mean() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.total == 0 {
		return 0
	}
	return h.sum / time.Duration(h.total)
}

// Registry is a named collection of counters and histograms.
type Registry struct {
	mu         sync.RWMutex
	counters   map[string]*Counter
	histograms map[string]*Histogram
}

// Default is the process-wide registry.
var Default = NewRegistry()

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters:   make(map[string]*Counter),
		histograms: make(map[string]*Histogram),
	}
}

// Counter returns the counter called name, creating it on first use.
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

// Histogram returns the histogram called name, creating it with
// DefaultBuckets on first use.
func (r *Registry) Histogram(name string) *Histogram {
	r.mu.RLock()
	h, ok := r.histograms[name]
	r.mu.RUnlock()
	if ok {
		return h
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.histograms[name]; ok {
		return h
	}
	h = NewHistogram(DefaultBuckets)
	r.histograms[name] = h
	return h
}

// Reset drops every metric (used between benchmark runs).
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	r.counters = make(map[string]*Counter)
	r.histograms = make(map[string]*Histogram)
}

// Unregister removes the counter called name and reports whether it
// existed.
func (r *Registry) Unregister(name string) bool {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := r.counters[name]; ok {
		delete(r.counters, name)
		r.mu.Unlock()
		return true
	}
	return false
}

// WriteText writes every metric, one per line, sorted by name.
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
	for n := range r.histograms {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		mean := r.histograms[n].Mean().Seconds()
		if _, err := fmt.Fprintf(w, "%s_mean_seconds %g\n", n, mean); err != nil {
			return err
		}
	}
	return nil
}

// Trace starts timing op and returns the function that records the elapsed
// time. Use it as: defer metrics.Trace("wal_compact")().
func Trace(op string) func() {
	h := Default.Histogram(op)
	start := time.Now()
	return func() { h.Observe(time.Since(start)) }
}
