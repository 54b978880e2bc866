// Package obs holds the small tracing and metrics helpers shared by the
// dispatch services. It deliberately has no exporter: the admin API renders
// Snapshot() as JSON and the ops dashboards scrape that.
package obs

import (
	"log"
	"sort"
	"sync"
	"time"
)

const maxSamples = 2048

// Summary is a point-in-time view of one latency series.
type Summary struct {
	Count int           `json:"count"`
	P50   time.Duration `json:"p50"`
	P95   time.Duration `json:"p95"`
	P99   time.Duration `json:"p99"`
}

// Metrics is an in-process registry of counters and latency samples.
type Metrics struct {
	mu       sync.Mutex
	counters map[string]int64
	samples  map[string][]time.Duration
}

// NewMetrics returns an empty registry.
func NewMetrics() *Metrics {
	return &Metrics{
		counters: make(map[string]int64),
		samples:  make(map[string][]time.Duration),
	}
}

// Inc bumps a counter by one.
func (m *Metrics) Inc(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counters[name]++
}

// Observe records one latency sample, keeping at most maxSamples per series.
func (m *Metrics) Observe(name string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.samples[name]
	if len(s) >= maxSamples {
		copy(s, s[len(s)-maxSamples/2:])
		s = s[:maxSamples/2]
	}
	m.samples[name] = append(s, d)
}

// Since records the time elapsed since start. It is meant to be deferred with
// a start time taken before the defer: `defer m.Since("x", start)`.
func (m *Metrics) Since(name string, start time.Time) {
	m.Observe(name, time.Since(start))
}

// Percentile returns the p-th percentile (0..1) of a series.
func (m *Metrics) Percentile(name string, p float64) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return percentileOf(m.samples[name], p)
}

// Snapshot copies all series under the lock and summarises them outside it.
func (m *Metrics) Snapshot() (map[string]int64, map[string]Summary) {
	m.mu.Lock()
	counters := make(map[string]int64, len(m.counters))
	for k, v := range m.counters {
		counters[k] = v
	}
	series := make(map[string][]time.Duration, len(m.samples))
	for k, v := range m.samples {
		series[k] = append([]time.Duration(nil), v...)
	}
	m.mu.Unlock()

	out := make(map[string]Summary, len(series))
	for k, v := range series {
		out[k] = Summary{
			Count: len(v),
			P50:   percentileOf(v, 0.50),
			P95:   percentileOf(v, 0.95),
			P99:   percentileOf(v, 0.99),
		}
	}
	return counters, out
}

func percentileOf(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := append([]time.Duration(nil), ds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	idx := int(p * float64(len(sorted)-1))
	return sorted[idx]
}

// Trace logs the start of an operation and returns the func that logs its
// end. Use it as `defer obs.Trace(logger, "name")()`.
func Trace(logger *log.Logger, name string) func() {
	start := time.Now()
	logger.Printf("begin %s", name)
	return func() {
		logger.Printf("end %s after %s", name, time.Since(start).Round(time.Microsecond))
	}
}

// Span is a named unit of work whose outcome is recorded when it ends.
type Span struct {
	name   string
	start  time.Time
	logger *log.Logger
	m      *Metrics
}

// StartSpan begins a span.
func StartSpan(logger *log.Logger, m *Metrics, name string) *Span {
	return &Span{name: name, start: time.Now(), logger: logger, m: m}
}

// End records the span's duration and outcome.
func (s *Span) End(err error) {
	d := time.Since(s.start)
	if s.m != nil {
		s.m.Observe(s.name, d)
		if err != nil {
			s.m.Inc(s.name + ".errors")
		}
	}
	if err != nil && s.logger != nil {
		s.logger.Printf("%s failed after %s: %v", s.name, d, err)
	}
}
