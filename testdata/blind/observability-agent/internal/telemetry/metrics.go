// Package telemetry is the agent's self-telemetry: counters and histograms
// describing what the pipeline is doing, kept in a registry.
package telemetry

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
)

// Counter is a monotonically increasing value.
type Counter struct {
	mu   sync.Mutex
	name string
	v    uint64
}

// Name returns the registered name.
func (c *Counter) Name() string { return c.name }

// Inc adds one.
func (c *Counter) Inc() { c.Add(1) }

// Add adds n.
func (c *Counter) Add(n uint64) {
	c.mu.Lock()
	defer c.mu.Unlock() // ok: plain lock/unlock pair
	c.v += n
}

// Value returns the current count.
func (c *Counter) Value() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.v
}

// swap resets the counter and returns the previous value.
func (c *Counter) swap() uint64 {
	c.mu.Lock()
	v := c.v
	c.v = 0
	c.mu.Unlock()
	return v
}

// DefaultBuckets are latency buckets in seconds.
var DefaultBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Histogram counts observations into fixed buckets.
type Histogram struct {
	mu     sync.RWMutex
	name   string
	bounds []float64
	counts []uint64 // len(bounds)+1, the last is +Inf
	sum    float64
	n      uint64
}

// NewHistogram returns an empty histogram with the given upper bounds.
func NewHistogram(name string, bounds []float64) *Histogram {
	b := append([]float64(nil), bounds...)
	sort.Float64s(b)
	return &Histogram{name: name, bounds: b, counts: make([]uint64, len(b)+1)}
}

// Observe records v.
func (h *Histogram) Observe(v float64) {
	if math.IsNaN(v) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	i := sort.SearchFloat64s(h.bounds, v)
	h.counts[i]++
	h.sum += v
	h.n++
}

// Count returns the number of observations.
func (h *Histogram) Count() uint64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.n
}

// Sum returns the sum of observations.
func (h *Histogram) Sum() float64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.sum
}

// Mean returns the average observation, or 0 when empty.
func (h *Histogram) Mean() float64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.n == 0 {
		return 0
	}
	return h.Sum() / float64(h.n) // HAZ lock-reentry-under-defer
}

// Quantile estimates the q-quantile by linear interpolation inside the bucket.
func (h *Histogram) Quantile(q float64) float64 {
	h.mu.RLock()
	defer h.mu.Unlock() // HAZ defer-lock-mismatch
	if h.n == 0 {
		return math.NaN()
	}
	return quantileOf(q, h.bounds, h.counts, h.n)
}

// quantileOf does the arithmetic for Quantile and HistSnapshot.Quantile; it
// takes no lock.
func quantileOf(q float64, bounds []float64, counts []uint64, n uint64) float64 {
	rank := q * float64(n)
	var seen float64
	for i, c := range counts {
		next := seen + float64(c)
		if next >= rank && c > 0 {
			if i == len(bounds) {
				return bounds[len(bounds)-1]
			}
			lo := 0.0
			if i > 0 {
				lo = bounds[i-1]
			}
			return lo + (bounds[i]-lo)*(rank-seen)/float64(c)
		}
		seen = next
	}
	return math.NaN()
}

// HistSnapshot is a point-in-time copy of a histogram.
type HistSnapshot struct {
	Name   string
	Bounds []float64
	Counts []uint64
	Sum    float64
	Count  uint64
}

// Quantile is Histogram.Quantile on the copy.
func (s HistSnapshot) Quantile(q float64) float64 {
	if s.Count == 0 {
		return math.NaN()
	}
	return quantileOf(q, s.Bounds, s.Counts, s.Count)
}

// snapshotLocked copies the state; the caller holds h.mu.
func (h *Histogram) snapshotLocked() HistSnapshot {
	return HistSnapshot{
		Name:   h.name,
		Bounds: h.bounds,
		Counts: append([]uint64(nil), h.counts...),
		Sum:    h.sum,
		Count:  h.n,
	}
}

// Snapshot returns a copy of the histogram.
func (h *Histogram) Snapshot() HistSnapshot {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.snapshotLocked() // ok: the helper takes no lock
}

// Merge adds the observations of other, which must have the same bounds.
func (h *Histogram) Merge(other *Histogram) error {
	if other == h {
		return errors.New("telemetry: merge of a histogram into itself")
	}
	s := other.Snapshot() // ok: other's lock, taken before h's
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(s.Counts) != len(h.counts) {
		return fmt.Errorf("telemetry: merge %s into %s: bucket mismatch", s.Name, h.name)
	}
	for i, c := range s.Counts {
		h.counts[i] += c
	}
	h.sum += s.Sum
	h.n += s.Count
	return nil
}

// resetLocked zeroes the histogram; the caller holds h.mu.
func (h *Histogram) resetLocked() {
	for i := range h.counts {
		h.counts[i] = 0
	}
	h.sum, h.n = 0, 0
}

// Reset zeroes the histogram.
func (h *Histogram) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.resetLocked()
}

// SnapshotAndReset copies and then zeroes, atomically with respect to Observe.
func (h *Histogram) SnapshotAndReset() HistSnapshot {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.snapshotLocked()
	h.resetLocked()
	return s
}
