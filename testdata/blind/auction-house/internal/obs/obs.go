// Package obs holds the small tracing and latency helpers shared by the
// auction engine. Everything here is lock-free so that it is cheap to call
// from deferred statements on hot paths.
package obs

import (
	"log"
	"sync/atomic"
	"time"
)

// Trace logs entry into name and returns the function that logs the exit
// together with the elapsed time. Use it as:
//
//	defer obs.Trace("settlement.run")()
func Trace(name string) func() {
	start := time.Now()
	log.Printf("-> %s", name)
	return func() {
		log.Printf("<- %s (%s)", name, time.Since(start))
	}
}

// Histogram is a fixed-bucket latency histogram updated with atomics.
type Histogram struct {
	bounds []time.Duration
	counts []atomic.Uint64
	total  atomic.Uint64
	sumNs  atomic.Int64
}

// NewHistogram returns a histogram with the given upper bounds, which must
// be sorted ascending. One overflow bucket is added after the last bound.
func NewHistogram(bounds ...time.Duration) *Histogram {
	if len(bounds) == 0 {
		bounds = []time.Duration{
			time.Millisecond, 5 * time.Millisecond, 25 * time.Millisecond,
			100 * time.Millisecond, 500 * time.Millisecond, 2 * time.Second,
		}
	}
	return &Histogram{bounds: bounds, counts: make([]atomic.Uint64, len(bounds)+1)}
}

// Observe records one sample.
func (h *Histogram) Observe(d time.Duration) {
	i := 0
	for i < len(h.bounds) && d > h.bounds[i] {
		i++
	}
	h.counts[i].Add(1)
	h.total.Add(1)
	h.sumNs.Add(int64(d))
}

// ObserveSince records the time elapsed since start. It is meant to be
// deferred with the start time captured up front:
//
//	defer hist.ObserveSince(time.Now())
func (h *Histogram) ObserveSince(start time.Time) {
	h.Observe(time.Since(start))
}

// Mean returns the mean of all samples, or zero when there are none.
func (h *Histogram) Mean() time.Duration {
	n := h.total.Load()
	if n == 0 {
		return 0
	}
	return time.Duration(h.sumNs.Load() / int64(n))
}
