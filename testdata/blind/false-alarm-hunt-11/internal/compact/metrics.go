// Package compact merges sealed WAL segments into a compressed archive
// and prunes the inputs.
package compact

import (
	"sync/atomic"
	"time"
)

type opStats struct {
	runs      atomic.Int64
	failures  atomic.Int64
	lastNanos atomic.Int64
}

// Metrics counts compaction work. It is lock-free so that it can be
// updated from deferred calls on hot paths.
type Metrics struct {
	ops map[string]*opStats // fixed at construction, read-only afterwards
}

// NewMetrics returns counters for the given operation names plus "other".
func NewMetrics(ops ...string) *Metrics {
	m := &Metrics{ops: map[string]*opStats{"other": {}}}
	for _, op := range ops {
		m.ops[op] = &opStats{}
	}
	return m
}

func (m *Metrics) op(name string) *opStats {
	if s, ok := m.ops[name]; ok {
		return s
	}
	return m.ops["other"]
}

// Observe records one run of op that took d.
func (m *Metrics) Observe(op string, d time.Duration) {
	s := m.op(op)
	s.runs.Add(1)
	s.lastNanos.Store(int64(d))
}

// ObserveSince records one run of op that started at start.
func (m *Metrics) ObserveSince(op string, start time.Time) {
	m.Observe(op, time.Since(start))
}

// RecordOutcome counts a failure of op when err is non-nil.
func (m *Metrics) RecordOutcome(op string, err error) {
	if err != nil {
		m.op(op).failures.Add(1)
	}
}

// Failures returns how many times op has failed.
func (m *Metrics) Failures(op string) int64 {
	return m.op(op).failures.Load()
}
