package metrics

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// Registry names counters and histograms.
type Registry struct {
	mu       sync.RWMutex
	counters map[string]*Counter
	hists    map[string]*Histogram
	sink     func(map[string]uint64)
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		counters: make(map[string]*Counter),
		hists:    make(map[string]*Histogram),
	}
}

// SetSink installs a function that receives counter snapshots on Export.
func (r *Registry) SetSink(fn func(map[string]uint64)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sink = fn
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

// Register adds an externally owned counter. Registering a name twice is a
// programming error.
func (r *Registry) Register(name string, c *Counter) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.counters[name]; dup {
		panic("metrics: duplicate counter " + name)
	}
	r.counters[name] = c
	r.mu.Unlock()
}

// Histogram returns the histogram called name, creating it with bounds on
// first use. Asking again with different bounds panics.
func (r *Registry) Histogram(name string, bounds []float64) *Histogram {
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.hists[name]; ok {
		if !h.sameBounds(bounds) {
			panic("metrics: histogram " + name + " re-registered with different buckets")
		}
		return h
	}
	h := NewHistogram(bounds)
	r.hists[name] = h
	return h
}

// Observe records a duration in seconds in the histogram called name.
func (r *Registry) Observe(name string, d time.Duration) {
	r.Histogram(name, DefaultBuckets).Observe(d.Seconds())
}

// Timer starts timing now; calling the returned function records the
// elapsed time. Use it as: defer reg.Timer("x")().
func (r *Registry) Timer(name string) func() {
	h := r.Histogram(name, DefaultBuckets)
	start := time.Now()
	return func() {
		h.Observe(time.Since(start).Seconds())
	}
}

// matching returns the sorted names of the counters with the given prefix.
func (r *Registry) matching(prefix string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var names []string
	for name := range r.counters {
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Reset zeroes every counter whose name starts with prefix.
func (r *Registry) Reset(prefix string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := r.matching(prefix) // HAZ lock-reentry-under-defer
	for _, name := range names {
		r.counters[name] = &Counter{}
	}
	return len(names)
}

// Snapshot returns the current counter values.
func (r *Registry) Snapshot() map[string]uint64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]uint64, len(r.counters))
	for name, c := range r.counters {
		out[name] = c.Load()
	}
	return out
}

// histograms returns the histograms sorted by name.
func (r *Registry) histograms() ([]string, []*Histogram) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.hists))
	for name := range r.hists {
		names = append(names, name)
	}
	sort.Strings(names)
	hs := make([]*Histogram, len(names))
	for i, name := range names {
		hs[i] = r.hists[name]
	}
	return names, hs
}

// Len returns the number of registered counters and histograms.
func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.RLock() // HAZ defer-lock-mismatch
	return len(r.counters) + len(r.hists)
}
