package agent

import (
	"sort"
	"sync"
	"sync/atomic"
)

// opCounter holds one operation's counters; all fields are atomics so that
// observe never blocks the caller.
type opCounter struct {
	ok, failed atomic.Int64
	last       atomic.Value // string
}

// metrics counts outcomes per operation for the status topic.
type metrics struct {
	ops sync.Map // op name -> *opCounter
}

func newMetrics() *metrics {
	return &metrics{}
}

func (m *metrics) counter(op string) *opCounter {
	if c, ok := m.ops.Load(op); ok {
		return c.(*opCounter)
	}
	c, _ := m.ops.LoadOrStore(op, new(opCounter))
	return c.(*opCounter)
}

// observe records one outcome of op.
func (m *metrics) observe(op string, err error) {
	c := m.counter(op)
	if err != nil {
		c.failed.Add(1)
		c.last.Store(err.Error())
		return
	}
	c.ok.Add(1)
}

// OpStats is one operation's counters.
type OpStats struct {
	Op        string `json:"op"`
	OK        int64  `json:"ok"`
	Failed    int64  `json:"failed"`
	LastError string `json:"last_error,omitempty"`
}

// snapshot returns the counters sorted by operation.
func (m *metrics) snapshot() []OpStats {
	var out []OpStats
	m.ops.Range(func(k, v any) bool {
		c := v.(*opCounter)
		last, _ := c.last.Load().(string)
		out = append(out, OpStats{Op: k.(string), OK: c.ok.Load(), Failed: c.failed.Load(), LastError: last})
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Op < out[j].Op })
	return out
}

// Metrics returns the agent's operation counters.
func (a *Agent) Metrics() []OpStats {
	return a.metrics.snapshot()
}
