// Package metrics holds lock-free duration histograms keyed by name.
package metrics

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultBuckets are upper bounds in seconds.
var DefaultBuckets = []float64{0.005, 0.025, 0.1, 0.5, 1, 5, 30}

// Histogram counts observations per bucket.
type Histogram struct {
	bounds []float64
	counts []atomic.Int64
	total  atomic.Int64
	sumNs  atomic.Int64
}

// NewHistogram returns a histogram with the given upper bounds.
func NewHistogram(bounds []float64) *Histogram {
	b := append([]float64(nil), bounds...)
	sort.Float64s(b)
	return &Histogram{bounds: b, counts: make([]atomic.Int64, len(b)+1)}
}

// Observe records one duration.
func (h *Histogram) Observe(d time.Duration) {
	i := sort.SearchFloat64s(h.bounds, d.Seconds())
	h.counts[i].Add(1)
	h.total.Add(1)
	h.sumNs.Add(int64(d))
}

// Registry maps names to histograms without taking locks on the hot path.
type Registry struct {
	hists sync.Map // string -> *Histogram
}

// ObserveDuration records d under name.
func (r *Registry) ObserveDuration(name string, d time.Duration) {
	h, ok := r.hists.Load(name)
	if !ok {
		h, _ = r.hists.LoadOrStore(name, NewHistogram(DefaultBuckets))
	}
	h.(*Histogram).Observe(d)
}

// WriteText writes all histograms in a Prometheus-like text format.
func (r *Registry) WriteText(w io.Writer) error {
	var names []string
	r.hists.Range(func(k, _ any) bool {
		names = append(names, k.(string))
		return true
	})
	sort.Strings(names)
	for _, name := range names {
		v, _ := r.hists.Load(name)
		h := v.(*Histogram)
		var cum int64
		for i, b := range h.bounds {
			cum += h.counts[i].Load()
			if _, err := fmt.Fprintf(w, "%s_bucket{le=\"%g\"} %d\n", name, b, cum); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "%s_count %d\n%s_sum %g\n", name, h.total.Load(), name,
			time.Duration(h.sumNs.Load()).Seconds()); err != nil {
			return err
		}
	}
	return nil
}
