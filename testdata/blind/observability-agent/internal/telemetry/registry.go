package telemetry

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"
)

// Registry holds named counters and histograms.
type Registry struct {
	mu       sync.Mutex
	counters map[string]*Counter
	hists    map[string]*Histogram
	started  time.Time
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters: make(map[string]*Counter),
		hists:    make(map[string]*Histogram),
		started:  time.Now(),
	}
}

// existsLocked reports whether name is taken; the caller holds r.mu.
func (r *Registry) existsLocked(name string) bool {
	_, c := r.counters[name]
	_, h := r.hists[name]
	return c || h
}

// Has reports whether name is registered.
func (r *Registry) Has(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.existsLocked(name)
}

// Counter returns the counter called name, creating it on first use.
func (r *Registry) Counter(name string) *Counter {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.counters[name]; ok {
		return c
	}
	if r.existsLocked(name) { // ok: lock-free helper
		panic("telemetry: " + name + " is already a histogram")
	}
	c := &Counter{name: name}
	r.counters[name] = c
	return c
}

// Histogram returns the histogram called name, creating it with bounds.
func (r *Registry) Histogram(name string, bounds []float64) *Histogram {
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.hists[name]; ok {
		return h
	}
	if r.Has(name) { // HAZ lock-reentry-under-defer
		panic("telemetry: " + name + " is already a counter")
	}
	h := NewHistogram(name, bounds)
	r.hists[name] = h
	return h
}

// Timer starts timing and returns the func that records the elapsed
// seconds into the histogram called name. Use as: defer reg.Timer("x")().
func (r *Registry) Timer(name string) func() {
	h := r.Histogram(name, DefaultBuckets)
	start := time.Now()
	return func() { h.Observe(time.Since(start).Seconds()) }
}

// Each calls fn for every counter, outside the registry lock so fn may
// use the registry.
func (r *Registry) Each(fn func(name string, c *Counter)) {
	r.mu.Lock()
	names := make([]string, 0, len(r.counters))
	for n := range r.counters {
		names = append(names, n)
	}
	cs := make([]*Counter, len(names))
	sort.Strings(names)
	for i, n := range names {
		cs[i] = r.counters[n]
	}
	r.mu.Unlock()
	for i, c := range cs {
		fn(names[i], c)
	}
}

// Kind reports "counter", "histogram" or "" for name.
func (r *Registry) Kind(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.counters[name] != nil:
		return "counter"
	case r.hists[name] != nil:
		return "histogram"
	}
	return ""
}

// TryUnregister removes name if present and reports whether it was.
func (r *Registry) TryUnregister(name string) bool {
	r.mu.Lock()
	switch {
	case r.counters[name] != nil:
		delete(r.counters, name)
	case r.hists[name] != nil:
		delete(r.hists, name)
	default:
		r.mu.Unlock()
		return false
	}
	r.mu.Unlock()
	return true
}

// ErrUnknownMetric is returned by Unregister.
var ErrUnknownMetric = errors.New("telemetry: unknown metric")

// Unregister removes a metric.
func (r *Registry) Unregister(name string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if !r.existsLocked(name) {
		return fmt.Errorf("%w: %s", ErrUnknownMetric, name)
	}
	delete(r.counters, name)
	delete(r.hists, name)
	r.mu.Unlock()
	return nil
}

// ResetAll zeroes every histogram, e.g. after a config reload.
func (r *Registry) ResetAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range r.hists {
		h.mu.Lock()
		defer h.mu.Unlock() // HAZ defer-in-loop
		h.resetLocked()
	}
}

// ResetCounters zeroes every counter and returns their previous sum.
func (r *Registry) ResetCounters() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var total uint64
	for _, c := range r.counters {
		total += c.swap() // ok: a different mutex, released before the next iteration
	}
	return total
}

// Snapshot is a copy of all metrics.
type Snapshot struct {
	Taken    time.Time         `json:"taken"`
	Uptime   time.Duration     `json:"uptime"`
	Counters map[string]uint64 `json:"counters"`
	Hists    []HistSnapshot    `json:"histograms"`
}

// Snapshot copies all metrics. The registry lock is held only while the
// metric set is copied, not while each metric is read.
func (r *Registry) Snapshot() Snapshot {
	r.mu.Lock()
	counters := make([]*Counter, 0, len(r.counters))
	for _, c := range r.counters {
		counters = append(counters, c)
	}
	hists := make([]*Histogram, 0, len(r.hists))
	for _, h := range r.hists {
		hists = append(hists, h)
	}
	started := r.started
	r.mu.Unlock()

	now := time.Now()
	s := Snapshot{Taken: now, Uptime: now.Sub(started), Counters: make(map[string]uint64, len(counters))}
	for _, c := range counters {
		s.Counters[c.name] = c.Value()
	}
	for _, h := range hists {
		s.Hists = append(s.Hists, h.Snapshot())
	}
	sort.Slice(s.Hists, func(i, j int) bool { return s.Hists[i].Name < s.Hists[j].Name })
	return s
}

// WriteTo writes the snapshot as text, one metric a line.
func (s Snapshot) WriteTo(w io.Writer) (int64, error) {
	names := make([]string, 0, len(s.Counters))
	for n := range s.Counters {
		names = append(names, n)
	}
	sort.Strings(names)
	var total int64
	for _, n := range names {
		k, err := fmt.Fprintf(w, "%s %d\n", n, s.Counters[n])
		total += int64(k)
		if err != nil {
			return total, err
		}
	}
	for _, h := range s.Hists {
		k, err := fmt.Fprintf(w, "%s_count %d\n%s_sum %g\n%s_p99 %g\n",
			h.Name, h.Count, h.Name, h.Sum, h.Name, h.Quantile(0.99))
		total += int64(k)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// ServeHTTP exposes the registry as text.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if _, err := r.Snapshot().WriteTo(w); err != nil {
		// The client went away; nothing more to do.
		return
	}
}

// SaveJSON writes the snapshot to path; the write is checked through the
// named result.
func (s Snapshot) SaveJSON(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: close error reaches the caller
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	return bw.Flush()
}

// SaveGzip writes the text form of the snapshot to a gzip file.
func (s Snapshot) SaveGzip(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	if _, err := s.WriteTo(zw); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// SaveGzipChecked is SaveGzip with the writers closed in the right order.
func (s Snapshot) SaveGzipChecked(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: closed and checked below on the success path
	zw := gzip.NewWriter(f)
	if _, err := s.WriteTo(zw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
