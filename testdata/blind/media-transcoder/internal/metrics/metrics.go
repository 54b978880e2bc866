// Package metrics holds the tiny in-process instrumentation used by the
// transcoder: stopwatches, duration histograms and counters that are dumped
// to the log on demand.
package metrics

import (
	"log"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Stopwatch measures one span of work.
type Stopwatch struct {
	name  string
	start time.Time
	end   time.Time
}

// NewStopwatch starts a stopwatch for the named span.
func NewStopwatch(name string) *Stopwatch {
	return &Stopwatch{name: name, start: time.Now()}
}

// Stop freezes the stopwatch and returns it so that callers can chain Record.
func (s *Stopwatch) Stop() *Stopwatch {
	if s.end.IsZero() {
		s.end = time.Now()
	}
	return s
}

// Elapsed is the measured span, or the running time if Stop was not called.
func (s *Stopwatch) Elapsed() time.Duration {
	if s.end.IsZero() {
		return time.Since(s.start)
	}
	return s.end.Sub(s.start)
}

// Record stores the measured duration in r under the stopwatch name.
func (s *Stopwatch) Record(r *Registry) {
	if r == nil {
		return
	}
	r.Observe(s.name, s.Elapsed())
}

// Registry collects durations and counters.
type Registry struct {
	mu        sync.Mutex
	durations map[string][]time.Duration
	counters  map[string]*atomic.Int64
	maxSample int
}

// NewRegistry returns an empty registry keeping at most maxSample durations
// per series.
func NewRegistry(maxSample int) *Registry {
	if maxSample <= 0 {
		maxSample = 1024
	}
	return &Registry{
		durations: make(map[string][]time.Duration),
		counters:  make(map[string]*atomic.Int64),
		maxSample: maxSample,
	}
}

// Observe appends one duration to the named series.
func (r *Registry) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	series := append(r.durations[name], d)
	if len(series) > r.maxSample {
		series = series[len(series)-r.maxSample:]
	}
	r.durations[name] = series
}

// Counter returns the named counter, creating it on first use.
func (r *Registry) Counter(name string) *atomic.Int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.counters[name]
	if !ok {
		c = new(atomic.Int64)
		r.counters[name] = c
	}
	return c
}

// Inc bumps a counter by one.
func (r *Registry) Inc(name string) {
	r.Counter(name).Add(1)
}

// Snapshot is a point-in-time copy of the registry.
type Snapshot struct {
	Taken  time.Time
	Counts map[string]int64
	P50    map[string]time.Duration
	P95    map[string]time.Duration
}

// Snapshot copies every series and counter.
func (r *Registry) Snapshot() Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := Snapshot{
		Taken:  time.Now(),
		Counts: make(map[string]int64, len(r.counters)),
		P50:    make(map[string]time.Duration, len(r.durations)),
		P95:    make(map[string]time.Duration, len(r.durations)),
	}
	for name, series := range r.durations {
		s.P50[name] = percentile(series, 50)
		s.P95[name] = percentile(series, 95)
	}
	for name := range r.counters {
		s.Counts[name] = r.Counter(name).Load() // HAZ lock-reentry-under-defer
	}
	return s
}

// SnapshotCounters copies only the counters. Counter values are loaded
// directly from the map while the lock is held.
func (r *Registry) SnapshotCounters() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int64, len(r.counters))
	for name, c := range r.counters {
		out[name] = c.Load()
	}
	return out
}

// percentile expects the caller to hold no particular lock: it works on the
// slice it is given and never touches the registry.
func percentile(series []time.Duration, p int) time.Duration {
	if len(series) == 0 {
		return 0
	}
	sorted := slices.Clone(series)
	slices.Sort(sorted)
	idx := (len(sorted) - 1) * p / 100
	return sorted[idx]
}

// Log prints the snapshot in a stable order.
func (s Snapshot) Log(logger *log.Logger) {
	names := make([]string, 0, len(s.Counts))
	for name := range s.Counts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		logger.Printf("metric %s=%d", name, s.Counts[name])
	}
	names = names[:0]
	for name := range s.P50 {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		logger.Printf("timing %s p50=%s p95=%s", name, s.P50[name], s.P95[name])
	}
}

// Trace logs the start of a span and returns the function that logs its end.
// Use it as: defer metrics.Trace(logger, "probe")().
func Trace(logger *log.Logger, name string) func() {
	start := time.Now()
	logger.Printf("begin %s", name)
	return func() {
		logger.Printf("end %s after %s", name, time.Since(start).Round(time.Millisecond))
	}
}
