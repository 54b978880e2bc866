package server

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// OpStats aggregates latencies of one operation.
type OpStats struct {
	Op    string        `json:"op"`
	Count uint64        `json:"count"`
	Total time.Duration `json:"total_ns"`
	Max   time.Duration `json:"max_ns"`
}

// Metrics collects per-operation latencies and server counters.
type Metrics struct {
	mu  sync.Mutex
	ops map[string]*OpStats

	accepted atomic.Uint64
	rejected atomic.Uint64
	panics   atomic.Uint64
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics {
	return &Metrics{ops: make(map[string]*OpStats)}
}

// Observe implements chat.Observer.
func (m *Metrics) Observe(op string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.ops[op]
	if !ok {
		st = &OpStats{Op: op}
		m.ops[op] = st
	}
	st.Count++
	st.Total += d
	if d > st.Max {
		st.Max = d
	}
}

// Snapshot returns a copy of the per-operation stats sorted by op name.
func (m *Metrics) Snapshot() []OpStats {
	m.mu.Lock()
	out := make([]OpStats, 0, len(m.ops))
	for _, st := range m.ops {
		out = append(out, *st)
	}
	m.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Op < out[j].Op })
	return out
}

// Counters returns accepted, rejected and recovered-panic counts.
func (m *Metrics) Counters() (accepted, rejected, panics uint64) {
	return m.accepted.Load(), m.rejected.Load(), m.panics.Load()
}
