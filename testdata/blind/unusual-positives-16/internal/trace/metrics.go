package trace

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"
)

// Metrics collects counters and accumulated timings.
type Metrics struct {
	mu       sync.Mutex
	counters map[string]int64
	timings  map[string]time.Duration
}

// NewMetrics returns empty Metrics.
func NewMetrics() *Metrics {
	return &Metrics{counters: make(map[string]int64), timings: make(map[string]time.Duration)}
}

// Add adds n to the counter name.
func (m *Metrics) Add(name string, n int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counters[name] += n
}

// Observe accumulates d into the timing of op.
func (m *Metrics) Observe(op string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.timings[op] += d
	m.counters[op+".count"]++
}

// Since observes the time elapsed since start; it is meant to be deferred
// with a start time taken beforehand.
func (m *Metrics) Since(op string, start time.Time) {
	m.Observe(op, time.Since(start))
}

// Snapshot is a point-in-time copy of Metrics.
type Snapshot struct {
	Counters map[string]int64
	Timings  map[string]time.Duration
}

// Snapshot copies the current values.
func (m *Metrics) Snapshot() Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return Snapshot{Counters: maps.Clone(m.counters), Timings: maps.Clone(m.timings)}
}

// WriteTo writes the snapshot as sorted "name value" lines.
func (s Snapshot) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for _, k := range sortedKeys(s.Counters) {
		n, err := fmt.Fprintf(w, "%s %d\n", k, s.Counters[k])
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	for _, k := range sortedKeys(s.Timings) {
		n, err := fmt.Fprintf(w, "%s %s\n", k, s.Timings[k])
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
