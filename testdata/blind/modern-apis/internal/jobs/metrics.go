package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// Metrics counts events and records durations.
type Metrics struct {
	mu        sync.Mutex
	counts    map[string]int64
	durations map[string][]time.Duration
}

// Count increments the named counter.
func (m *Metrics) Count(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.counts == nil {
		m.counts = make(map[string]int64)
	}
	m.counts[name]++
}

// Observe records a duration under name.
func (m *Metrics) Observe(name string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.durations == nil {
		m.durations = make(map[string][]time.Duration)
	}
	m.durations[name] = append(m.durations[name], d)
}

// Snapshot is a copy of the counters at one moment.
type Snapshot struct {
	Counts map[string]int64
	Taken  time.Time
}

// Snapshot copies the counters.
func (m *Metrics) Snapshot() Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return Snapshot{Counts: maps.Clone(m.counts), Taken: time.Now()}
}

// Log writes the snapshot to logger, counters in name order.
func (s Snapshot) Log(logger *slog.Logger) {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(s.Counts)) {
		fmt.Fprintf(&b, "%s=%d ", k, s.Counts[k])
	}
	logger.Info("metrics", "at", s.Taken, "counts", strings.TrimSpace(b.String()))
}

// Drain runs every pending job and then logs the resulting counters.
func (q *Queue) Drain(ctx context.Context) int {
	defer q.metrics.Snapshot().Log(q.log) // HAZ defer-call-chain
	n := 0
	for j, ok := q.pop(); ok; j, ok = q.pop() {
		if err := q.runOne(ctx, j); err != nil {
			q.metrics.Count("failed")
		} else {
			q.metrics.Count("done")
		}
		n++
	}
	return n
}

// DrainLogged is Drain with the snapshot taken when the deferred closure
// runs, after the work.
func (q *Queue) DrainLogged(ctx context.Context) int {
	defer func() { q.metrics.Snapshot().Log(q.log) }()
	n := 0
	for j, ok := q.pop(); ok; j, ok = q.pop() {
		if err := q.runOne(ctx, j); err == nil {
			n++
		}
	}
	return n
}

// Timed runs j and records how long it took.
func (q *Queue) Timed(ctx context.Context, j *Job) error {
	start := time.Now()
	defer q.metrics.Observe("job."+j.Kind, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return q.runOne(ctx, j)
}

// TimedClosure records the duration when the deferred closure runs.
func (q *Queue) TimedClosure(ctx context.Context, j *Job) error {
	start := time.Now()
	defer func() { q.metrics.Observe("job."+j.Kind, time.Since(start)) }()
	return q.runOne(ctx, j)
}

// TimedKind logs a kind label that is fixed for the whole call.
func (q *Queue) TimedKind(ctx context.Context, j *Job) error {
	kind := strings.ToLower(j.Kind)
	defer q.metrics.Count("ran." + kind)
	return q.runOne(ctx, j)
}

// Flush writes counters through write and reports a failed write.
func (m *Metrics) Flush(write func(map[string]int64) error) error {
	snap := m.Snapshot()
	defer func() error { // HAZ defer-ineffective-return
		if err := write(snap.Counts); err != nil {
			return fmt.Errorf("metrics flush: %w", err)
		}
		return nil
	}()
	m.mu.Lock()
	clear(m.counts)
	m.mu.Unlock()
	return nil
}

// FlushChecked writes the counters and returns the write error through a
// named result.
func (m *Metrics) FlushChecked(write func(map[string]int64) error) (err error) {
	snap := m.Snapshot()
	defer func() {
		if werr := write(snap.Counts); werr != nil {
			err = fmt.Errorf("metrics flush: %w", werr)
		}
	}()
	m.mu.Lock()
	clear(m.counts)
	m.mu.Unlock()
	return nil
}

// Percentile returns the p-th percentile duration recorded for name.
func (m *Metrics) Percentile(name string, p float64) time.Duration {
	m.mu.Lock()
	ds := slices.Clone(m.durations[name])
	m.mu.Unlock()
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(p / 100 * float64(len(ds)-1))
	return ds[min(max(i, 0), len(ds)-1)]
}
