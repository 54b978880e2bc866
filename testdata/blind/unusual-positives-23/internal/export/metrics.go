package export

import (
	"log"
	"maps"
	"sort"
	"sync"
	"time"
)

// Metrics accumulates counters and timings of export operations.
type Metrics struct {
	mu     sync.Mutex
	counts map[string]int64
	total  map[string]time.Duration
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics {
	return &Metrics{counts: make(map[string]int64), total: make(map[string]time.Duration)}
}

// Observe records one operation of the given duration.
func (m *Metrics) Observe(name string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counts[name]++
	m.total[name] += d
}

// ObserveSpan records one operation that ran from start to end.
func (m *Metrics) ObserveSpan(name string, start, end time.Time) {
	m.Observe(name, end.Sub(start))
}

// Timer starts timing name; calling the result records the elapsed time.
func (m *Metrics) Timer(name string) func() {
	start := time.Now()
	return func() { m.Observe(name, time.Since(start)) }
}

// Snapshot is a point-in-time copy of the metrics.
type Snapshot struct {
	At     time.Time
	Counts map[string]int64
	Total  map[string]time.Duration
}

// Snapshot copies the current values.
func (m *Metrics) Snapshot() Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return Snapshot{At: time.Now(), Counts: maps.Clone(m.counts), Total: maps.Clone(m.total)}
}

// Report logs one line per operation, sorted by name.
func (s Snapshot) Report(l *log.Logger) {
	names := make([]string, 0, len(s.Counts))
	for n := range s.Counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		avg := time.Duration(0)
		if c := s.Counts[n]; c > 0 {
			avg = s.Total[n] / time.Duration(c)
		}
		l.Printf("export metrics: %-24s n=%d avg=%s", n, s.Counts[n], avg)
	}
}
