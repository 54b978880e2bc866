// Package obs holds the tiny in-process metrics registry used by the
// newsletter services. It deliberately avoids third-party dependencies.
package obs

import (
	"context"
	"log"
	"sort"
	"strings"
	"sync"
	"time"
)

// Stat is an aggregated view of one metric.
type Stat struct {
	Count int64
	Total time.Duration
}

// Mean returns the average observed duration.
func (s Stat) Mean() time.Duration {
	if s.Count == 0 {
		return 0
	}
	return s.Total / time.Duration(s.Count)
}

// Metrics aggregates counters and timings by name.
type Metrics struct {
	mu     sync.Mutex
	totals map[string]time.Duration
	counts map[string]int64
}

// Default is the process-wide registry.
var Default = NewMetrics()

// NewMetrics returns an empty registry.
func NewMetrics() *Metrics {
	return &Metrics{
		totals: make(map[string]time.Duration),
		counts: make(map[string]int64),
	}
}

// Observe records one timing sample.
func (m *Metrics) Observe(name string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.totals[name] += d
	m.counts[name]++
}

// Inc counts one event without a duration.
func (m *Metrics) Inc(name string) {
	m.mu.Lock()
	m.counts[name]++
	m.mu.Unlock()
}

// Reset clears the metrics whose name starts with prefix ("" clears all)
// and returns how many were cleared.
func (m *Metrics) Reset(prefix string) int {
	m.mu.Lock() // HAZ lock-leaked-on-return
	if prefix == "" {
		n := len(m.counts)
		m.totals = make(map[string]time.Duration)
		m.counts = make(map[string]int64)
		return n
	}
	n := 0
	for name := range m.counts {
		if strings.HasPrefix(name, prefix) {
			delete(m.counts, name)
			delete(m.totals, name)
			n++
		}
	}
	m.mu.Unlock()
	return n
}

// Snapshot copies the current values.
func (m *Metrics) Snapshot() map[string]Stat {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]Stat, len(m.counts))
	for name, n := range m.counts {
		out[name] = Stat{Count: n, Total: m.totals[name]}
	}
	return out
}

// Report logs the registry every interval until ctx is cancelled.
func (m *Metrics) Report(ctx context.Context, interval time.Duration, logger *log.Logger) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			snap := m.Snapshot()
			names := make([]string, 0, len(snap))
			for name := range snap {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				st := snap[name]
				logger.Printf("metric %s count=%d mean=%s", name, st.Count, st.Mean())
			}
		}
	}
}
