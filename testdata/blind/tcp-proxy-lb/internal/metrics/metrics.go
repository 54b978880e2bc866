// Package metrics holds the proxy's counters, gauges and latency histograms.
//
// Counters are lock-free (sync/atomic); the registry that names them is
// guarded by a mutex that is only held while the maps are touched.
package metrics

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Counter is a monotonically increasing value.
type Counter struct {
	v atomic.Int64
}

// Inc adds one.
func (c *Counter) Inc() { c.v.Add(1) }

// Add adds n (which may be negative for gauges).
func (c *Counter) Add(n int64) { c.v.Add(n) }

// Load returns the current value.
func (c *Counter) Load() int64 { return c.v.Load() }

// Registry names counters and histograms for export.
type Registry struct {
	mu       sync.Mutex
	counters map[string]*Counter
	hists    map[string]*Histogram
	prefix   string
}

// NewRegistry returns an empty registry whose exported names start with prefix.
func NewRegistry(prefix string) *Registry {
	return &Registry{
		counters: make(map[string]*Counter),
		hists:    make(map[string]*Histogram),
		prefix:   prefix,
	}
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

// Histogram returns the named histogram, creating it with the default
// buckets on first use.
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

// Snapshot copies every counter value.
func (r *Registry) Snapshot() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int64, len(r.counters))
	for name, c := range r.counters {
		out[name] = c.Load()
	}
	return out
}

// Reset zeroes one counter, used by the admin API after a deploy.
func (r *Registry) Reset(name string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	c, ok := r.counters[name]
	if !ok {
		return fmt.Errorf("metrics: unknown counter %q", name)
	}
	c.v.Store(0)
	r.mu.Unlock()
	return nil
}

// Names lists the registered counter names in order.
func (r *Registry) Names() []string {
	r.mu.Lock()
	names := make([]string, 0, len(r.counters))
	for name := range r.counters {
		names = append(names, name)
	}
	r.mu.Unlock()
	sort.Strings(names)
	return names
}

// WriteText writes the registry in a Prometheus-like text format. The lock is
// held only while taking the snapshot, never while writing to w.
func (r *Registry) WriteText(w io.Writer) error {
	snap := r.Snapshot()
	r.mu.Lock()
	hists := make(map[string]HistogramSnapshot, len(r.hists))
	for name, h := range r.hists {
		hists[name] = h.Snapshot()
	}
	r.mu.Unlock()

	names := make([]string, 0, len(snap))
	for name := range snap {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		fmt.Fprintf(&b, "%s_%s %d\n", r.prefix, name, snap[name])
	}
	for name, hs := range hists {
		hs.format(&b, r.prefix+"_"+name)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
