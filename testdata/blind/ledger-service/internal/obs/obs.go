// Package obs holds the service's small in-process metrics and timing helpers.
package obs

import (
	"fmt"
	"io"
	"log"
	"sort"
	"sync"
	"time"
)

// Metrics is a concurrency-safe set of counters and latency samples. A nil
// *Metrics discards everything.
type Metrics struct {
	mu       sync.Mutex
	counters map[string]int64
	samples  map[string][]time.Duration
}

// New returns an empty Metrics.
func New() *Metrics {
	return &Metrics{
		counters: map[string]int64{},
		samples:  map[string][]time.Duration{},
	}
}

// Inc adds one to the counter name.
func (m *Metrics) Inc(name string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.counters[name]++
	m.mu.Unlock()
}

// Observe records a latency sample.
func (m *Metrics) Observe(name string, d time.Duration) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.samples[name]
	if len(s) >= 1024 {
		s = s[1:]
	}
	m.samples[name] = append(s, d)
}

// Since records the time elapsed since start. It is meant to be deferred:
// the elapsed time is computed when it runs.
func (m *Metrics) Since(name string, start time.Time) {
	m.Observe(name, time.Since(start))
}

// ObserveRange records end minus start.
func (m *Metrics) ObserveRange(name string, start, end time.Time) {
	m.Observe(name, end.Sub(start))
}

// Counter returns the current value of a counter.
func (m *Metrics) Counter(name string) int64 {
	if m == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counters[name]
}

// Write prints every counter and the median of every sample series.
func (m *Metrics) Write(w io.Writer) error {
	m.mu.Lock()
	defer m.mu.Unlock() // ok: median and fmt do not touch m.mu
	names := make([]string, 0, len(m.counters))
	for n := range m.counters {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := fmt.Fprintf(w, "%s %d\n", n, m.counters[n]); err != nil {
			return err
		}
	}
	for n, s := range m.samples {
		if _, err := fmt.Fprintf(w, "%s_p50 %s\n", n, median(s)); err != nil {
			return err
		}
	}
	return nil
}

func median(s []time.Duration) time.Duration {
	if len(s) == 0 {
		return 0
	}
	c := append([]time.Duration(nil), s...)
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	return c[len(c)/2]
}

// Timer logs how long a phase takes. Use it as `defer obs.Timer(l, "phase")()`.
func Timer(l *log.Logger, name string) func() {
	start := time.Now()
	l.Printf("%s: start", name)
	return func() {
		l.Printf("%s: done in %s", name, time.Since(start))
	}
}
