// Package metrics keeps simple per-operation latency counters for the sync
// daemon. It is deliberately tiny: the daemon exports a JSON snapshot of it
// on /debug/latency.
package metrics

import (
	"sort"
	"sync"
	"time"
)

// Meter accumulates call counts and total durations per operation name.
type Meter struct {
	mu    sync.Mutex
	count map[string]int64
	total map[string]time.Duration
}

// NewMeter returns an empty Meter.
func NewMeter() *Meter {
	return &Meter{
		count: make(map[string]int64),
		total: make(map[string]time.Duration),
	}
}

// Observe records one operation of duration d.
func (m *Meter) Observe(op string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.count[op]++
	m.total[op] += d
}

// Track starts timing op and returns the func that stops the clock. The
// intended use is `defer m.Track("op")()`.
func (m *Meter) Track(op string) func() {
	start := time.Now()
	return func() {
		m.Observe(op, time.Since(start))
	}
}

// Mean returns the average duration recorded for op, or zero.
func (m *Meter) Mean(op string) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.count[op]
	if n == 0 {
		return 0
	}
	return m.total[op] / time.Duration(n)
}

// Line is one row of a Snapshot.
type Line struct {
	Op    string        `json:"op"`
	Count int64         `json:"count"`
	Mean  time.Duration `json:"mean_ns"`
}

// Snapshot returns every operation's count and mean, sorted by name. The
// means are computed inline rather than through Mean, which would take m.mu
// a second time.
func (m *Meter) Snapshot() []Line {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Line, 0, len(m.count))
	for op, n := range m.count {
		out = append(out, Line{Op: op, Count: n, Mean: m.total[op] / time.Duration(n)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Op < out[j].Op })
	return out
}
