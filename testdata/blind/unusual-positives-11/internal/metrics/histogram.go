package metrics

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sync"
	"time"
)

// Histogram collects durations per label.
type Histogram[L comparable] struct {
	mu      sync.Mutex
	samples map[L][]time.Duration
}

// NewHistogram returns an empty histogram.
func NewHistogram[L comparable]() *Histogram[L] {
	return &Histogram[L]{samples: make(map[L][]time.Duration)}
}

// Observe adds one sample for label.
func (h *Histogram[L]) Observe(label L, d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.samples[label] = append(h.samples[label], d)
}

// Time starts a measurement for label; call the result to stop it.
func (h *Histogram[L]) Time(label L) func() {
	start := time.Now()
	return func() {
		h.Observe(label, time.Since(start))
	}
}

// Quantile returns the q-quantile (0..1) of label's samples.
func (h *Histogram[L]) Quantile(label L, q float64) (time.Duration, bool) {
	h.mu.Lock()
	s := slices.Clone(h.samples[label])
	h.mu.Unlock()
	if len(s) == 0 {
		return 0, false
	}
	slices.Sort(s)
	q = min(max(q, 0), 1)
	return s[int(q*float64(len(s)-1))], true
}

// Counters is a set of named monotonic counters.
type Counters[K cmp.Ordered] struct {
	mu sync.Mutex
	m  map[K]int64
}

// NewCounters returns an empty counter set.
func NewCounters[K cmp.Ordered]() *Counters[K] {
	return &Counters[K]{m: make(map[K]int64)}
}

// Add adds n to counter k.
func (c *Counters[K]) Add(k K, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] += n
}

// Set overwrites counter k; used for gauges sampled from the runtime.
func (c *Counters[K]) Set(k K, v int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = v
}

// Snapshot copies the current values.
func (c *Counters[K]) Snapshot() Snapshot[K] {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.m)
}

// Snapshot is a point-in-time copy of a counter set.
type Snapshot[K cmp.Ordered] map[K]int64

// Publisher receives published counter values.
type Publisher[K cmp.Ordered] interface {
	Publish(k K, v int64)
}

// Publish hands every value to p in key order.
func (s Snapshot[K]) Publish(p Publisher[K]) {
	for _, k := range slices.Sorted(maps.Keys(s)) {
		p.Publish(k, s[k])
	}
}

// sinkFlush maps the sink named by UP11_METRICS_SINK to the func that makes
// its buffered output durable.
var sinkFlush = map[string]func(){
	"stdout": func() { _ = os.Stdout.Sync() },
	"stderr": func() { _ = os.Stderr.Sync() },
}

// Dump writes s in text form to w and flushes the sink named sink.
func Dump(w io.Writer, sink string, s Snapshot[string]) error {
	defer sinkFlush[sink]() // HAZ defer-nil-func
	for _, k := range slices.Sorted(maps.Keys(s)) {
		if _, err := fmt.Fprintf(w, "%s %d\n", k, s[k]); err != nil {
			return fmt.Errorf("metrics: dump %s: %w", k, err)
		}
	}
	return nil
}

// DumpKnown is Dump for sinks that may have no flush step (files, pipes).
func DumpKnown(w io.Writer, sink string, s Snapshot[string]) error {
	if flush, ok := sinkFlush[sink]; ok {
		defer flush()
	}
	for _, k := range slices.Sorted(maps.Keys(s)) {
		if _, err := fmt.Fprintf(w, "%s %d\n", k, s[k]); err != nil {
			return fmt.Errorf("metrics: dump %s: %w", k, err)
		}
	}
	return nil
}
