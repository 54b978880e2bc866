// Package metrics is a tiny metrics library: generic histograms and a
// registry that writes them in a text exposition format.
package metrics

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// Number is the set of sample types a histogram accepts.
type Number interface {
	~int | ~int64 | ~float64
}

// Histogram counts samples into fixed buckets.
type Histogram[N Number] struct {
	mu     sync.Mutex
	name   string
	bounds []N
	counts []uint64
	sum    N
	n      uint64
}

// NewHistogram returns a histogram with the given upper bounds.
func NewHistogram[N Number](name string, bounds ...N) *Histogram[N] {
	b := slices.Clone(bounds)
	slices.Sort(b)
	return &Histogram[N]{name: name, bounds: b, counts: make([]uint64, len(b)+1)}
}

// Name returns the metric name.
func (h *Histogram[N]) Name() string { return h.name }

// Observe records one sample.
func (h *Histogram[N]) Observe(v N) {
	i, _ := slices.BinarySearch(h.bounds, v)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[i]++
	h.sum += v
	h.n++
}

// Time starts a timer; calling the returned function records the elapsed
// time converted by conv.
func (h *Histogram[N]) Time(conv func(time.Duration) N) func() {
	start := time.Now()
	return func() { h.Observe(conv(time.Since(start))) }
}

// WriteTo writes the histogram in text exposition format.
func (h *Histogram[N]) WriteTo(w io.Writer) (int64, error) {
	h.mu.Lock()
	counts := slices.Clone(h.counts)
	sum, n := h.sum, h.n
	h.mu.Unlock()

	var total int64
	var cum uint64
	for i, c := range counts {
		cum += c
		le := "+Inf"
		if i < len(h.bounds) {
			le = fmt.Sprint(h.bounds[i])
		}
		k, err := fmt.Fprintf(w, "%s_bucket{le=%q} %d\n", h.name, le, cum)
		total += int64(k)
		if err != nil {
			return total, err
		}
	}
	k, err := fmt.Fprintf(w, "%s_sum %v\n%s_count %d\n", h.name, sum, h.name, n)
	return total + int64(k), err
}

// Seconds converts a duration to float seconds, for Histogram[float64].Time.
func Seconds(d time.Duration) float64 { return d.Seconds() }

// Millis converts a duration to whole milliseconds, for Histogram[int64].Time.
func Millis(d time.Duration) int64 { return d.Milliseconds() }
