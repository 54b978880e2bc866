package server

import (
	"sync"
	"sync/atomic"
	"time"
)

type verbStat struct {
	count atomic.Int64
	total atomic.Int64 // nanoseconds
	max   atomic.Int64
}

// VerbStats is the exported view of one command's timings.
type VerbStats struct {
	Count int64         `json:"count"`
	Total time.Duration `json:"total"`
	Max   time.Duration `json:"max"`
}

// Metrics records per-command latencies without locks.
type Metrics struct {
	stats sync.Map // verb -> *verbStat
}

// Observe records one command that took d.
func (m *Metrics) Observe(verb string, d time.Duration) {
	v, _ := m.stats.LoadOrStore(verb, new(verbStat))
	st := v.(*verbStat)
	st.count.Add(1)
	st.total.Add(int64(d))
	for {
		cur := st.max.Load()
		if int64(d) <= cur || st.max.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

// Track starts timing verb; call the result when the command is done:
//
//	defer m.Track("RETR")()
func (m *Metrics) Track(verb string) func() {
	start := time.Now()
	return func() { m.Observe(verb, time.Since(start)) }
}

// Snapshot copies all timings.
func (m *Metrics) Snapshot() map[string]VerbStats {
	out := make(map[string]VerbStats)
	m.stats.Range(func(k, v any) bool {
		st := v.(*verbStat)
		out[k.(string)] = VerbStats{
			Count: st.count.Load(),
			Total: time.Duration(st.total.Load()),
			Max:   time.Duration(st.max.Load()),
		}
		return true
	})
	return out
}
