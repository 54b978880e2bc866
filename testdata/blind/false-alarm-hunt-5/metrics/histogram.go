package metrics

import (
	"math"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// DefBuckets are latency buckets in seconds.
var DefBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Observer records values.
type Observer interface {
	Observe(v float64)
}

// Histogram counts observations in cumulative buckets.
type Histogram struct {
	desc    *Desc
	labels  []LabelPair
	upper   []float64
	counts  []atomic.Uint64
	count   atomic.Uint64
	sumBits atomic.Uint64
}

// NewHistogram returns a histogram with sorted buckets.
func NewHistogram(name, help string, buckets []float64) *Histogram {
	return newHistogram(MustNewDesc(name, help, HistogramType, nil), nil, buckets)
}

func newHistogram(d *Desc, labels []LabelPair, buckets []float64) *Histogram {
	if len(buckets) == 0 {
		buckets = DefBuckets
	}
	upper := append([]float64(nil), buckets...)
	sort.Float64s(upper)
	return &Histogram{desc: d, labels: labels, upper: upper, counts: make([]atomic.Uint64, len(upper))}
}

// Observe records v.
func (h *Histogram) Observe(v float64) {
	if i := sort.SearchFloat64s(h.upper, v); i < len(h.upper) {
		h.counts[i].Add(1)
	}
	h.count.Add(1)
	for {
		old := h.sumBits.Load()
		if h.sumBits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// Describe implements Collector.
func (h *Histogram) Describe() []*Desc { return []*Desc{h.desc} }

// Collect emits cumulative buckets, +Inf, sum and count.
func (h *Histogram) Collect(ch chan<- Sample) {
	var cum uint64
	for i, ub := range h.upper {
		cum += h.counts[i].Load()
		ch <- Sample{Desc: h.desc, Suffix: "_bucket", Labels: withLabel(h.labels, "le", strconv.FormatFloat(ub, 'g', -1, 64)), Value: float64(cum)}
	}
	n := h.count.Load()
	ch <- Sample{Desc: h.desc, Suffix: "_bucket", Labels: withLabel(h.labels, "le", "+Inf"), Value: float64(n)}
	ch <- Sample{Desc: h.desc, Suffix: "_sum", Labels: h.labels, Value: math.Float64frombits(h.sumBits.Load())}
	ch <- Sample{Desc: h.desc, Suffix: "_count", Labels: h.labels, Value: float64(n)}
}

func withLabel(ls []LabelPair, name, value string) []LabelPair {
	out := make([]LabelPair, 0, len(ls)+1)
	out = append(out, ls...)
	return append(out, LabelPair{name, value})
}

// Timer measures a duration into an Observer.
type Timer struct {
	obs   Observer
	start time.Time
}

// NewTimer starts a timer. Use: t := NewTimer(h); defer t.ObserveDuration().
func NewTimer(o Observer) *Timer { return &Timer{obs: o, start: time.Now()} }

// ObserveDuration records the time since NewTimer, in seconds.
func (t *Timer) ObserveDuration() time.Duration {
	d := time.Since(t.start)
	if t.obs != nil {
		t.obs.Observe(d.Seconds())
	}
	return d
}

// Summary keeps a sliding window of observations for quantiles.
type Summary struct {
	desc       *Desc
	quantiles  []float64
	mu         sync.Mutex
	window     []float64
	next       int
	full       bool
	count      uint64
	sum        float64
	lastRotate time.Time
	maxAge     time.Duration
}

// NewSummary returns a summary over the last size observations.
func NewSummary(name, help string, size int, quantiles []float64, maxAge time.Duration) *Summary {
	return &Summary{
		desc:      MustNewDesc(name, help, SummaryType, nil),
		quantiles: quantiles,
		window:    make([]float64, size),
		maxAge:    maxAge,
	}
}

// Observe records v.
func (s *Summary) Observe(v float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maybeRotateLocked(time.Now())
	s.window[s.next] = v
	s.next = (s.next + 1) % len(s.window)
	if s.next == 0 {
		s.full = true
	}
	s.count++
	s.sum += v
}

// maybeRotateLocked empties the window when it is older than maxAge.
func (s *Summary) maybeRotateLocked(now time.Time) {
	if s.maxAge <= 0 {
		return
	}
	if s.lastRotate.IsZero() {
		s.lastRotate = now
		return
	}
	if now.Sub(s.lastRotate) > s.maxAge {
		s.next, s.full = 0, false
		s.lastRotate = now
	}
}

// Describe implements Collector.
func (s *Summary) Describe() []*Desc { return []*Desc{s.desc} }

// Collect copies the window under the lock and sorts it outside.
func (s *Summary) Collect(ch chan<- Sample) {
	s.mu.Lock()
	n := s.next
	if s.full {
		n = len(s.window)
	}
	vals := append([]float64(nil), s.window[:n]...)
	count, sum := s.count, s.sum
	s.mu.Unlock()

	sort.Float64s(vals)
	for _, q := range s.quantiles {
		v := math.NaN()
		if len(vals) > 0 {
			v = vals[int(q*float64(len(vals)-1))]
		}
		ch <- Sample{Desc: s.desc, Labels: []LabelPair{{"quantile", strconv.FormatFloat(q, 'g', -1, 64)}}, Value: v}
	}
	ch <- Sample{Desc: s.desc, Suffix: "_sum", Value: sum}
	ch <- Sample{Desc: s.desc, Suffix: "_count", Value: float64(count)}
}
