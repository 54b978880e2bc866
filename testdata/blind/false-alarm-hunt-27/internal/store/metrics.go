package store

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Metrics keeps a count and total latency per operation. It is lock-free
// on the hot path so that it can be used from deferred calls.
type Metrics struct {
	ops sync.Map // string -> *opStats
}

type opStats struct {
	count atomic.Int64
	total atomic.Int64 // nanoseconds
}

// OpSummary is the exported view of one operation.
type OpSummary struct {
	Op    string        `json:"op"`
	Count int64         `json:"count"`
	Mean  time.Duration `json:"mean_ns"`
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics { return &Metrics{} }

// Observe records one run of op that took d.
func (m *Metrics) Observe(op string, d time.Duration) {
	v, ok := m.ops.Load(op)
	if !ok {
		v, _ = m.ops.LoadOrStore(op, &opStats{})
	}
	st := v.(*opStats)
	st.count.Add(1)
	st.total.Add(int64(d))
}

// ObserveSince records one run of op that started at start. It is meant
// to be deferred with the start time: defer m.ObserveSince("op", time.Now()).
func (m *Metrics) ObserveSince(op string, start time.Time) {
	m.Observe(op, time.Since(start))
}

// Summary returns all operations sorted by name.
func (m *Metrics) Summary() []OpSummary {
	var out []OpSummary
	m.ops.Range(func(k, v any) bool {
		st := v.(*opStats)
		n := st.count.Load()
		s := OpSummary{Op: k.(string), Count: n}
		if n > 0 {
			s.Mean = time.Duration(st.total.Load() / n)
		}
		out = append(out, s)
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Op < out[j].Op })
	return out
}

// timed starts timing op; call the returned func when op ends:
// defer s.timed("op")().
func (s *Store) timed(op string) func() {
	start := time.Now()
	return func() { s.metrics.Observe(op, time.Since(start)) }
}
