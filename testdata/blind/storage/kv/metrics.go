package kv

import (
	"sort"
	"sync"
	"time"
)

type opStat struct {
	count int64
	total time.Duration
	max   time.Duration
}

type metrics struct {
	mu  sync.Mutex
	ops map[string]*opStat
}

func newMetrics() *metrics { return &metrics{ops: make(map[string]*opStat)} }

func (m *metrics) observe(op string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.ops[op]
	if st == nil {
		st = &opStat{}
		m.ops[op] = st
	}
	st.count++
	st.total += d
	if d > st.max {
		st.max = d
	}
}

// since records the time elapsed from start; meant for
// defer m.since("op", time.Now()).
func (m *metrics) since(op string, start time.Time) {
	m.observe(op, time.Since(start))
}

// span records an operation that ran from start to end.
func (m *metrics) span(op string, start, end time.Time) {
	m.observe(op, end.Sub(start))
}

// OpSummary is one row of Store.Metrics.
type OpSummary struct {
	Op    string
	Count int64
	Mean  time.Duration
	Max   time.Duration
}

func (m *metrics) summary() []OpSummary {
	m.mu.Lock()
	out := make([]OpSummary, 0, len(m.ops))
	for op, st := range m.ops {
		s := OpSummary{Op: op, Count: st.count, Max: st.max}
		if st.count > 0 {
			s.Mean = st.total / time.Duration(st.count)
		}
		out = append(out, s)
	}
	m.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Op < out[j].Op })
	return out
}
