package antientropy

import (
	"sync/atomic"
	"time"
)

// Stats counts exchanges. It is lock-free so it can be updated from deferred
// calls on any path.
type Stats struct {
	exchanges  atomic.Int64
	failures   atomic.Int64
	totalNanos atomic.Int64
	lastOp     atomic.Value // string
}

// observe records one finished operation.
func (st *Stats) observe(op string, d time.Duration, err error) {
	st.exchanges.Add(1)
	st.totalNanos.Add(int64(d))
	if err != nil {
		st.failures.Add(1)
	}
	st.lastOp.Store(op)
}

// StatsSnapshot is a copy of the counters.
type StatsSnapshot struct {
	Exchanges int64
	Failures  int64
	MeanTime  time.Duration
	LastOp    string
}

// Snapshot returns the current counters.
func (st *Stats) Snapshot() StatsSnapshot {
	s := StatsSnapshot{
		Exchanges: st.exchanges.Load(),
		Failures:  st.failures.Load(),
	}
	if s.Exchanges > 0 {
		s.MeanTime = time.Duration(st.totalNanos.Load() / s.Exchanges)
	}
	if op, ok := st.lastOp.Load().(string); ok {
		s.LastOp = op
	}
	return s
}
