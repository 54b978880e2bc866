package dbconn

import (
	"context"
	"database/sql"
	"sync/atomic"
	"time"
)

// trace logs how long op took when the returned func is called.
func (d *DB) trace(op string) func() {
	start := time.Now()
	return func() {
		d.logf("dbconn: %s took %s", op, time.Since(start).Round(time.Microsecond))
	}
}

// Exec runs a statement and logs its duration.
func (d *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	defer d.trace("exec " + query)()
	return d.sql.ExecContext(ctx, query, args...)
}

// Query runs a query and logs its duration.
func (d *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	defer d.trace("query " + query) // HAZ defer-func-result-not-called
	return d.sql.QueryContext(ctx, query, args...)
}

// Histogram accumulates latency samples without locking.
type Histogram struct {
	count atomic.Int64
	sum   atomic.Int64
	max   atomic.Int64
}

// Observe records one sample.
func (h *Histogram) Observe(d time.Duration) {
	h.count.Add(1)
	h.sum.Add(int64(d))
	for {
		cur := h.max.Load()
		if int64(d) <= cur || h.max.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

// Mean returns the average sample, 0 without samples.
func (h *Histogram) Mean() time.Duration {
	n := h.count.Load()
	if n == 0 {
		return 0
	}
	return time.Duration(h.sum.Load() / n)
}

// Max returns the largest sample.
func (h *Histogram) Max() time.Duration {
	return time.Duration(h.max.Load())
}

// Metrics collects latencies of the pool's operations.
type Metrics struct {
	Exec     Histogram
	QueryRow Histogram
	Startup  Histogram
}

// ExecTimed runs a statement and records its latency in m.
func (d *DB) ExecTimed(ctx context.Context, m *Metrics, query string, args ...any) (sql.Result, error) {
	start := time.Now()
	defer func() { m.Exec.Observe(time.Since(start)) }()
	return d.sql.ExecContext(ctx, query, args...)
}

// QueryRowTimed runs a single-row query and records its latency in m.
func (d *DB) QueryRowTimed(ctx context.Context, m *Metrics, query string, args ...any) *sql.Row {
	start := time.Now()
	defer m.QueryRow.Observe(time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return d.sql.QueryRowContext(ctx, query, args...)
}

// ObserveStartup records the time the pool took to become healthy; the
// duration is computed before the defer on purpose.
func (d *DB) ObserveStartup(m *Metrics, openedAt time.Time) {
	took := time.Since(openedAt)
	defer d.logf("dbconn: startup took %s", took)
	m.Startup.Observe(took)
}
