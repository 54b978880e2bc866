package timeutil

import (
	"sort"
	"sync"
	"time"
)

// Observer receives latency observations.
type Observer interface {
	Observe(time.Duration)
}

// Measure starts a measurement and returns the func that records it, so a
// whole function can be timed with
//
//	defer timeutil.Measure(h)()
func Measure(o Observer) func() {
	start := time.Now()
	return func() { o.Observe(time.Since(start)) }
}

// Histogram is a fixed-bucket latency histogram.
type Histogram struct {
	mu      sync.Mutex
	bounds  []time.Duration
	counts  []uint64
	sum     time.Duration
	samples uint64
}

// NewHistogram returns a histogram with the given upper bounds; an implicit
// +Inf bucket is added.
func NewHistogram(bounds ...time.Duration) *Histogram {
	b := append([]time.Duration(nil), bounds...)
	sort.Slice(b, func(i, j int) bool { return b[i] < b[j] })
	return &Histogram{bounds: b, counts: make([]uint64, len(b)+1)}
}

// Observe records d.
func (h *Histogram) Observe(d time.Duration) {
	i := sort.Search(len(h.bounds), func(i int) bool { return d <= h.bounds[i] })
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[i]++
	h.sum += d
	h.samples++
}

// HistogramSnapshot is a point-in-time copy of a Histogram.
type HistogramSnapshot struct {
	Bounds []time.Duration
	Counts []uint64
	Sum    time.Duration
	Count  uint64
}

// Snapshot copies the current state.
func (h *Histogram) Snapshot() HistogramSnapshot {
	h.mu.Lock()
	defer h.mu.Unlock()
	return HistogramSnapshot{
		Bounds: append([]time.Duration(nil), h.bounds...),
		Counts: append([]uint64(nil), h.counts...),
		Sum:    h.sum,
		Count:  h.samples,
	}
}
