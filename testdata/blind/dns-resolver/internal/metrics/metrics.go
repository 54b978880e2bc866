// Package metrics holds the server's counters and latency histograms and
// exposes them in the Prometheus text format.
package metrics

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Counter is a monotonically increasing value. The zero value is ready.
type Counter struct{ v atomic.Int64 }

// Inc adds one.
func (c *Counter) Inc() { c.v.Add(1) }

// Add adds n.
func (c *Counter) Add(n int64) { c.v.Add(n) }

// Value returns the current count.
func (c *Counter) Value() int64 { return c.v.Load() }

// DefaultBuckets are latency bounds suitable for DNS: most answers come from
// cache in microseconds, recursion takes tens of milliseconds.
var DefaultBuckets = []time.Duration{
	100 * time.Microsecond, time.Millisecond, 5 * time.Millisecond,
	20 * time.Millisecond, 100 * time.Millisecond, 500 * time.Millisecond, 2 * time.Second,
}

// Histogram counts observations into fixed buckets. Observe is lock-free so
// it can sit on the query path.
type Histogram struct {
	bounds []time.Duration
	counts []atomic.Int64
	sumNs  atomic.Int64
	total  atomic.Int64
}

// NewHistogram returns a histogram with the given upper bounds.
func NewHistogram(bounds []time.Duration) *Histogram {
	return &Histogram{bounds: bounds, counts: make([]atomic.Int64, len(bounds)+1)}
}

// Observe records one duration.
func (h *Histogram) Observe(d time.Duration) {
	i := sort.Search(len(h.bounds), func(i int) bool { return d <= h.bounds[i] })
	h.counts[i].Add(1)
	h.sumNs.Add(int64(d))
	h.total.Add(1)
}

// Count returns the number of observations.
func (h *Histogram) Count() int64 { return h.total.Load() }

func (h *Histogram) writeText(w io.Writer, name string) error {
	var cum int64
	for i, b := range h.bounds {
		cum += h.counts[i].Load()
		if _, err := fmt.Fprintf(w, "%s_bucket{le=\"%g\"} %d\n", name, b.Seconds(), cum); err != nil {
			return err
		}
	}
	cum += h.counts[len(h.bounds)].Load()
	_, err := fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %g\n%s_count %d\n",
		name, cum, name, time.Duration(h.sumNs.Load()).Seconds(), name, h.total.Load())
	return err
}

// Registry owns named metrics. Lookups take the lock; the returned metrics
// are updated without it.
type Registry struct {
	mu       sync.RWMutex
	counters map[string]*Counter
	hists    map[string]*Histogram
	gauges   map[string]func() int64
	started  time.Time
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters: make(map[string]*Counter),
		hists:    make(map[string]*Histogram),
		gauges:   make(map[string]func() int64),
		started:  time.Now(),
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
	if c, ok = r.counters[name]; !ok {
		c = &Counter{}
		r.counters[name] = c
	}
	return c
}

// Histogram returns the latency histogram called name, creating it on first use.
func (r *Registry) Histogram(name string) *Histogram {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, ok := r.hists[name]
	if !ok {
		h = NewHistogram(DefaultBuckets)
		r.hists[name] = h
	}
	return h
}

// RegisterGauge registers fn to be sampled at scrape time.
func (r *Registry) RegisterGauge(name string, fn func() int64) {
	r.mu.Lock()
	r.gauges[name] = fn
	r.mu.Unlock()
}

// Gauge samples one registered gauge; unknown gauges read as zero.
func (r *Registry) Gauge(name string) int64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	fn, ok := r.gauges[name]
	if !ok {
		return 0
	}
	return fn()
}

// GaugeSnapshot samples every registered gauge, for the admin API.
func (r *Registry) GaugeSnapshot() map[string]int64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]int64, len(r.gauges))
	for name := range r.gauges {
		out[name] = r.Gauge(name) // HAZ lock-reentry-under-defer
	}
	return out
}

// Track starts timing an operation and counts it. The returned func records
// the elapsed time into the histogram of the same name; it touches only
// atomics, so deferring it is cheap.
func (r *Registry) Track(name string) func() {
	c := r.Counter(name + "_total")
	h := r.Histogram(name + "_seconds")
	start := time.Now()
	c.Inc()
	return func() { h.Observe(time.Since(start)) }
}

type snapshot struct {
	counters map[string]int64
	hists    map[string]*Histogram
	gauges   map[string]func() int64
}

func (r *Registry) snapshot() snapshot {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s := snapshot{
		counters: make(map[string]int64, len(r.counters)),
		hists:    make(map[string]*Histogram, len(r.hists)),
		gauges:   make(map[string]func() int64, len(r.gauges)),
	}
	for k, c := range r.counters {
		s.counters[k] = c.Value()
	}
	for k, h := range r.hists {
		s.hists[k] = h
	}
	for k, g := range r.gauges {
		s.gauges[k] = g
	}
	return s
}

// WriteText writes all metrics in the Prometheus exposition format. The
// registry lock is released before anything is written to w.
func (r *Registry) WriteText(w io.Writer) error {
	s := r.snapshot()
	for _, name := range sortedKeys(s.counters) {
		if _, err := fmt.Fprintf(w, "dnsd_%s %d\n", name, s.counters[name]); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(s.gauges) {
		if _, err := fmt.Fprintf(w, "dnsd_%s %d\n", name, sampleGauge(s.gauges[name])); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(s.hists) {
		if err := s.hists[name].writeText(w, "dnsd_"+name); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "dnsd_uptime_seconds %d\n", int64(time.Since(r.started).Seconds()))
	return err
}

// ServeHTTP serves /metrics.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if err := r.WriteText(w); err != nil {
		// The client went away mid-scrape; nothing useful to send back.
		return
	}
}

// sampleGauge calls a gauge callback; a broken callback must not break the
// whole scrape.
func sampleGauge(fn func() int64) (v int64) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	return fn()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
