// Package metrics imitates the Prometheus client idioms: histograms,
// counters, a registry and timers observed with defer timer.ObserveDuration().
package metrics

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// DefBuckets are latency buckets in seconds.
var DefBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Histogram counts observations into cumulative buckets.
type Histogram struct {
	mu      sync.Mutex
	name    string
	buckets []float64
	counts  []uint64
	sum     float64
	n       uint64
}

// NewHistogram builds a histogram with the given upper bounds.
func NewHistogram(name string, buckets []float64) *Histogram {
	b := append([]float64(nil), buckets...)
	sort.Float64s(b)
	return &Histogram{name: name, buckets: b, counts: make([]uint64, len(b)+1)}
}

// Observe adds one value.
func (h *Histogram) Observe(v float64) {
	i := sort.SearchFloat64s(h.buckets, v)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[i]++
	h.sum += v
	h.n++
}

// Count is the number of observations.
func (h *Histogram) Count() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// Mean is the average observation, 0 when empty.
func (h *Histogram) Mean() float64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == 0 {
		return 0
	}
	return h.sum / float64(h.n)
}

// Time starts a measurement and returns the function that records it;
// use it as defer h.Time()().
func (h *Histogram) Time() func() {
	start := time.Now()
	return func() { h.Observe(time.Since(start).Seconds()) }
}

// Timer measures one duration into a histogram.
type Timer struct {
	h     *Histogram
	start time.Time
}

// NewTimer starts a timer now.
func NewTimer(h *Histogram) *Timer {
	return &Timer{h: h, start: time.Now()}
}

// ObserveDuration records the elapsed time since NewTimer.
func (t *Timer) ObserveDuration() time.Duration {
	d := time.Since(t.start)
	if t.h != nil {
		t.h.Observe(d.Seconds())
	}
	return d
}

// Counter is a monotonically increasing value.
type Counter struct {
	v atomic.Uint64
}

// Inc adds one.
func (c *Counter) Inc() { c.v.Add(1) }

// Add adds n.
func (c *Counter) Add(n uint64) { c.v.Add(n) }

// Value reads the counter.
func (c *Counter) Value() uint64 { return c.v.Load() }

// Registry names histograms and counters.
type Registry struct {
	mu       sync.RWMutex
	hists    map[string]*Histogram
	counters map[string]*Counter
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{hists: make(map[string]*Histogram), counters: make(map[string]*Counter)}
}

// Histogram returns the named histogram, creating it on first use.
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
	h = NewHistogram(name, DefBuckets)
	r.hists[name] = h
	return h
}

// Counter returns the named counter, creating it on first use.
func (r *Registry) Counter(name string) *Counter {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.counters[name]
	if !ok {
		c = &Counter{}
		r.counters[name] = c
	}
	return c
}

// Names lists histogram names in order.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.namesLocked()
}

func (r *Registry) namesLocked() []string {
	names := make([]string, 0, len(r.hists))
	for n := range r.hists {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// CounterCount is the number of registered counters.
func (r *Registry) CounterCount() int {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	return len(r.counters)
}

// Reset drops every histogram whose name has the given prefix.
func (r *Registry) Reset(prefix string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	dropped := 0
	for _, name := range r.Names() { // HAZ lock-reentry-under-defer
		if len(name) >= len(prefix) && name[:len(prefix)] == prefix {
			delete(r.hists, name)
			dropped++
		}
	}
	return dropped
}

// WriteText dumps the registry in a line format. It holds the registry's
// read lock while reading each histogram's own mutex (a different lock).
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, name := range r.namesLocked() {
		h := r.hists[name]
		if _, err := fmt.Fprintf(w, "%s_count %d\n%s_mean %g\n", name, h.Count(), name, h.Mean()); err != nil {
			return err
		}
	}
	for name, c := range r.counters {
		if _, err := fmt.Fprintf(w, "%s_total %d\n", name, c.Value()); err != nil {
			return err
		}
	}
	return nil
}

func (h *Histogram) snapshot() (counts []uint64, sum float64, n uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]uint64(nil), h.counts...), h.sum, h.n
}

// Merge adds o's observations into h; both must share bucket bounds.
func (h *Histogram) Merge(o *Histogram) {
	counts, sum, n := o.snapshot()
	h.mu.Lock() // HAZ lock-leaked-on-return
	if len(counts) != len(h.counts) {
		panic("metrics: merging histograms with different buckets")
	}
	for i, c := range counts {
		h.counts[i] += c
	}
	h.sum += sum
	h.n += n
	h.mu.Unlock()
}

// MergeChecked is Merge returning an error for mismatched buckets.
func (h *Histogram) MergeChecked(o *Histogram) error {
	counts, sum, n := o.snapshot()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(counts) != len(h.counts) {
		return fmt.Errorf("metrics: %s and %s have different buckets", h.name, o.name)
	}
	for i, c := range counts {
		h.counts[i] += c
	}
	h.sum += sum
	h.n += n
	return nil
}
