// Package metrics keeps lock-free latency histograms for the hot tick path.
package metrics

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Histogram records durations with atomic counters only, so it is safe to
// observe from the tick loop without contending on a mutex.
type Histogram struct {
	count atomic.Int64
	sum   atomic.Int64
	max   atomic.Int64
}

// Observe records one duration.
func (h *Histogram) Observe(d time.Duration) {
	h.count.Add(1)
	h.sum.Add(int64(d))
	for {
		cur := h.max.Load()
		if int64(d) <= cur || h.max.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

// Summary is a point-in-time view of a histogram.
type Summary struct {
	Name  string        `json:"name"`
	Count int64         `json:"count"`
	Mean  time.Duration `json:"mean"`
	Max   time.Duration `json:"max"`
}

// Registry maps metric names to histograms. The zero value is ready to use;
// a nil *Registry silently drops observations.
type Registry struct {
	hists sync.Map // string -> *Histogram
}

// Observe records d under name.
func (r *Registry) Observe(name string, d time.Duration) {
	if r == nil {
		return
	}
	v, ok := r.hists.Load(name)
	if !ok {
		v, _ = r.hists.LoadOrStore(name, new(Histogram))
	}
	v.(*Histogram).Observe(d)
}

// Snapshot returns all histograms sorted by name.
func (r *Registry) Snapshot() []Summary {
	if r == nil {
		return nil
	}
	var out []Summary
	r.hists.Range(func(k, v any) bool {
		h := v.(*Histogram)
		s := Summary{Name: k.(string), Count: h.count.Load(), Max: time.Duration(h.max.Load())}
		if s.Count > 0 {
			s.Mean = time.Duration(h.sum.Load() / s.Count)
		}
		out = append(out, s)
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Track starts a timer and returns the function that records it, for use as
// `defer metrics.Track(reg, "name")()`.
func Track(r *Registry, name string) func() {
	start := time.Now()
	return func() { r.Observe(name, time.Since(start)) }
}
