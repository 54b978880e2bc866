// Package metrics holds the process counters and latency histograms exposed
// on /metrics in a plain text format.
package metrics

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Counter is a monotonically increasing value.
type Counter struct {
	v atomic.Int64
}

// Inc adds one.
func (c *Counter) Inc() { c.v.Add(1) }

// Value returns the current value.
func (c *Counter) Value() int64 { return c.v.Load() }

// DefaultBuckets are latency bucket bounds in milliseconds.
var DefaultBuckets = []float64{1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000}

// Histogram counts observations into fixed buckets.
type Histogram struct {
	mu     sync.Mutex
	bounds []float64
	counts []int64 // len(bounds)+1, the last one is +Inf
	sum    float64
	n      int64
}

func newHistogram(bounds []float64) *Histogram {
	return &Histogram{bounds: bounds, counts: make([]int64, len(bounds)+1)}
}

// Observe records one value.
func (h *Histogram) Observe(v float64) {
	i := sort.SearchFloat64s(h.bounds, v)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[i]++
	h.sum += v
	h.n++
}

type histSnapshot struct {
	bounds []float64
	counts []int64
	sum    float64
	n      int64
}

func (h *Histogram) snapshot() histSnapshot {
	h.mu.Lock()
	defer h.mu.Unlock()
	return histSnapshot{bounds: h.bounds, counts: append([]int64(nil), h.counts...), sum: h.sum, n: h.n}
}

// Registry names counters and histograms.
type Registry struct {
	mu         sync.RWMutex
	counters   map[string]*Counter
	histograms map[string]*Histogram
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{counters: make(map[string]*Counter), histograms: make(map[string]*Histogram)}
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

// MustRegister adds an existing counter under name. Registering a name twice
// is a programming error.
func (r *Registry) MustRegister(name string, c *Counter) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.counters[name]; dup {
		panic("metrics: duplicate counter " + name)
	}
	r.counters[name] = c
	r.mu.Unlock()
}

// Values returns the current value of every counter.
func (r *Registry) Values() map[string]int64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]int64, len(r.counters))
	for name := range r.counters {
		out[name] = r.Counter(name).Value() // HAZ lock-reentry-under-defer
	}
	return out
}

// Histogram returns the latency histogram called name, creating it on first use.
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
	h = newHistogram(DefaultBuckets)
	r.histograms[name] = h
	return h
}

// ObserveDuration records d in milliseconds in the histogram called name.
func (r *Registry) ObserveDuration(name string, d time.Duration) {
	r.Histogram(name).Observe(float64(d) / float64(time.Millisecond))
}

// Timer starts timing and returns the function that records the duration:
//
//	defer reg.Timer("store.save")()
func (r *Registry) Timer(name string) func() {
	start := time.Now()
	return func() {
		r.ObserveDuration(name, time.Since(start))
	}
}

// WriteText writes every metric in a line-oriented text format.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.counters))
	for name := range r.counters {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := fmt.Fprintf(w, "%s %d\n", name, r.counters[name].Value()); err != nil {
			return err
		}
	}
	names = names[:0]
	for name := range r.histograms {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := r.histograms[name].snapshot()
		var cum int64
		for i, b := range s.bounds {
			cum += s.counts[i]
			if _, err := fmt.Fprintf(w, "%s_bucket{le=\"%g\"} %d\n", name, b, cum); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "%s_count %d\n%s_sum %g\n", name, s.n, name, s.sum); err != nil {
			return err
		}
	}
	return nil
}

// Reset zeroes every counter and histogram (used by tests and the admin API).
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	for _, c := range r.counters {
		c.v.Store(0)
	}
	for name, h := range r.histograms {
		r.histograms[name] = newHistogram(h.bounds)
	}
}

// PushLoop pushes the registry to a push gateway every interval, for batch
// deployments that cannot be scraped. It runs for the life of the process.
func (r *Registry) PushLoop(url string, interval time.Duration) {
	for {
		time.Sleep(interval)
		var buf bytes.Buffer
		if err := r.WriteText(&buf); err != nil {
			log.Printf("metrics: push: %v", err)
			continue
		}
		resp, err := http.Post(url, "text/plain; version=0.0.4", &buf)
		if err != nil {
			log.Printf("metrics: push: %v", err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		if resp.StatusCode/100 != 2 {
			log.Printf("metrics: push: %s", resp.Status)
		}
	}
}

// PushOnce pushes the registry once, e.g. at the end of a batch job.
func (r *Registry) PushOnce(ctx context.Context, url string) error {
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, &buf)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := resp.Body.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if resp.StatusCode/100 != 2 {
		err = fmt.Errorf("metrics: push: %s", resp.Status)
	}
	return err
}

// Handler serves the registry as text.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		if err := r.WriteText(w); err != nil {
			log.Printf("metrics: write: %v", err)
		}
	})
}
