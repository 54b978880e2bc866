package query

import (
	"sync/atomic"
	"time"
)

// Operations tracked by Metrics.
var trackedOps = []string{"select", "series", "label_names", "label_values", "count"}

// latencyBuckets are the upper bounds of the latency histogram.
var latencyBuckets = []time.Duration{
	time.Millisecond, 5 * time.Millisecond, 25 * time.Millisecond, 100 * time.Millisecond,
	500 * time.Millisecond, 2 * time.Second, 10 * time.Second, time.Minute,
}

type histogram struct {
	counts [9]atomic.Int64 // len(latencyBuckets)+1, the last one is +Inf
	total  atomic.Int64
}

// Metrics records query latencies per operation in lock-free histograms.
type Metrics struct {
	inflight atomic.Int64
	ops      map[string]*histogram // fixed at construction, read-only afterwards
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics {
	m := &Metrics{ops: make(map[string]*histogram, len(trackedOps))}
	for _, op := range trackedOps {
		m.ops[op] = &histogram{}
	}
	return m
}

func (m *Metrics) observe(op string, d time.Duration) {
	h, ok := m.ops[op]
	if !ok {
		return
	}
	i := 0
	for i < len(latencyBuckets) && d > latencyBuckets[i] {
		i++
	}
	h.counts[i].Add(1)
	h.total.Add(1)
}

// observeSince records the time elapsed since start.
func (m *Metrics) observeSince(op string, start time.Time) {
	m.observe(op, time.Since(start))
}

// track counts an in-flight operation and returns the func that ends it.
func (m *Metrics) track(op string) func() {
	m.inflight.Add(1)
	start := time.Now()
	return func() {
		m.inflight.Add(-1)
		m.observe(op, time.Since(start))
	}
}

// Summary is a latency summary of one operation; quantiles are bucket upper bounds.
type Summary struct {
	Count int64
	P50   time.Duration
	P99   time.Duration
}

func (h *histogram) quantile(q float64, total int64) time.Duration {
	rank := int64(q * float64(total))
	var seen int64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen > rank {
			if i < len(latencyBuckets) {
				return latencyBuckets[i]
			}
			break
		}
	}
	return latencyBuckets[len(latencyBuckets)-1]
}

// Snapshot returns per-operation summaries and the number of in-flight queries.
func (m *Metrics) Snapshot() (map[string]Summary, int64) {
	out := make(map[string]Summary, len(m.ops))
	for op, h := range m.ops {
		total := h.total.Load()
		if total == 0 {
			continue
		}
		out[op] = Summary{Count: total, P50: h.quantile(0.5, total), P99: h.quantile(0.99, total)}
	}
	return out, m.inflight.Load()
}
