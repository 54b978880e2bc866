package metrics

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultBuckets are upper bounds suited to dial and session latencies.
var DefaultBuckets = []time.Duration{
	time.Millisecond,
	5 * time.Millisecond,
	25 * time.Millisecond,
	100 * time.Millisecond,
	500 * time.Millisecond,
	2 * time.Second,
	10 * time.Second,
}

// Histogram counts observations in fixed buckets. It is lock-free, so it can
// be observed from deferred calls and hot paths alike.
type Histogram struct {
	bounds  []time.Duration
	counts  []atomic.Uint64
	sum     atomic.Int64
	samples atomic.Uint64
}

// HistogramSnapshot is a point-in-time copy of a Histogram.
type HistogramSnapshot struct {
	Bounds  []time.Duration
	Counts  []uint64
	Sum     time.Duration
	Samples uint64
}

// NewHistogram returns a histogram with the given upper bounds.
func NewHistogram(bounds []time.Duration) *Histogram {
	b := append([]time.Duration(nil), bounds...)
	sort.Slice(b, func(i, j int) bool { return b[i] < b[j] })
	return &Histogram{bounds: b, counts: make([]atomic.Uint64, len(b)+1)}
}

// Observe records one duration.
func (h *Histogram) Observe(d time.Duration) {
	i := sort.Search(len(h.bounds), func(i int) bool { return d <= h.bounds[i] })
	h.counts[i].Add(1)
	h.sum.Add(int64(d))
	h.samples.Add(1)
}

// ObserveSince records the time elapsed since start. It is meant to be
// deferred: start is a snapshot, the elapsed time is computed at exit.
func (h *Histogram) ObserveSince(start time.Time) {
	h.Observe(time.Since(start))
}

// Snapshot copies the histogram. Buckets are read one by one, so a snapshot
// taken under load may be off by the observations in flight.
func (h *Histogram) Snapshot() HistogramSnapshot {
	s := HistogramSnapshot{
		Bounds:  append([]time.Duration(nil), h.bounds...),
		Counts:  make([]uint64, len(h.counts)),
		Sum:     time.Duration(h.sum.Load()),
		Samples: h.samples.Load(),
	}
	for i := range h.counts {
		s.Counts[i] = h.counts[i].Load()
	}
	return s
}

// Mean returns the average observation, or zero when empty.
func (s HistogramSnapshot) Mean() time.Duration {
	if s.Samples == 0 {
		return 0
	}
	return s.Sum / time.Duration(s.Samples)
}

func (s HistogramSnapshot) format(b *strings.Builder, name string) {
	var cum uint64
	for i, bound := range s.Bounds {
		cum += s.Counts[i]
		fmt.Fprintf(b, "%s_bucket{le=%q} %d\n", name, bound.String(), cum)
	}
	cum += s.Counts[len(s.Bounds)]
	fmt.Fprintf(b, "%s_bucket{le=\"+Inf\"} %d\n", name, cum)
	fmt.Fprintf(b, "%s_sum_seconds %f\n", name, s.Sum.Seconds())
	fmt.Fprintf(b, "%s_count %d\n", name, s.Samples)
}

// Track starts a timer and returns the function that stops it and records
// the elapsed time. Use it as `defer metrics.Track(h)()`.
// A nil histogram yields a no-op (never a nil func).
func Track(h *Histogram) func() {
	if h == nil {
		return func() {}
	}
	start := time.Now()
	return func() {
		h.Observe(time.Since(start))
	}
}
