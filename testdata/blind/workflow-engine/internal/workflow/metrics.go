package workflow

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Metrics aggregates per-operation latency and outcomes.
type Metrics struct {
	mu       sync.Mutex
	total    map[string]time.Duration
	observed map[string]int
	calls    map[string]int
	failures map[string]int
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics {
	return &Metrics{
		total:    make(map[string]time.Duration),
		observed: make(map[string]int),
		calls:    make(map[string]int),
		failures: make(map[string]int),
	}
}

// Observe records the latency of one op.
func (m *Metrics) Observe(op string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.total[op] += d
	m.observed[op]++
}

// Span records an operation that ran from start to end.
func (m *Metrics) Span(op string, start, end time.Time) {
	m.Observe(op, end.Sub(start))
}

// Outcome records whether one op failed.
func (m *Metrics) Outcome(op string, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls[op]++
	if err != nil {
		m.failures[op]++
	}
}

// WriteTo prints one line per operation.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	m.mu.Lock()
	ops := make([]string, 0, len(m.calls)+len(m.observed))
	seen := make(map[string]bool)
	for _, src := range []map[string]int{m.calls, m.observed} {
		for op := range src {
			if !seen[op] {
				seen[op] = true
				ops = append(ops, op)
			}
		}
	}
	sort.Strings(ops)
	lines := make([]string, 0, len(ops))
	for _, op := range ops {
		var avg time.Duration
		if n := m.observed[op]; n > 0 {
			avg = m.total[op] / time.Duration(n)
		}
		lines = append(lines, fmt.Sprintf("%s calls=%d failures=%d avg=%s\n", op, m.calls[op], m.failures[op], avg))
	}
	m.mu.Unlock()

	var n int64
	for _, l := range lines {
		c, err := io.WriteString(w, l)
		n += int64(c)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
