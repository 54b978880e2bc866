// Package obs holds the logging, tracing and counter helpers shared by the
// artifact services.
package obs

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// NewLogger returns a JSON logger writing to w at the named level ("debug",
// "info", "warn" or "error"; anything else means info).
func NewLogger(w io.Writer, level string) *slog.Logger {
	var lv slog.Level
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "debug":
		lv = slog.LevelDebug
	case "warn", "warning":
		lv = slog.LevelWarn
	case "error":
		lv = slog.LevelError
	default:
		lv = slog.LevelInfo
	}
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lv})
	return slog.New(h)
}

// Span logs the start of an operation and returns the function that logs its
// end. The intended use is
//
//	defer obs.Span(ctx, logger, "blob.get")()
func Span(ctx context.Context, logger *slog.Logger, name string, attrs ...any) func() {
	start := time.Now()
	logger.DebugContext(ctx, "span start", append([]any{"span", name}, attrs...)...)
	return func() {
		end := append([]any{"span", name, "took", time.Since(start)}, attrs...)
		logger.DebugContext(ctx, "span end", end...)
	}
}

// Timer measures one operation.
type Timer struct {
	logger *slog.Logger
	name   string
	start  time.Time
}

// StartTimer starts a timer; Stop logs and returns the elapsed time.
func StartTimer(logger *slog.Logger, name string) *Timer {
	return &Timer{logger: logger, name: name, start: time.Now()}
}

// Stop logs the time elapsed since StartTimer.
func (t *Timer) Stop() time.Duration {
	d := time.Since(t.start)
	t.logger.Info("timer", "name", t.name, "took", d)
	return d
}

// Counters is a set of named monotonic counters.
type Counters struct {
	mu sync.Mutex
	m  map[string]int64
}

// NewCounters returns an empty counter set.
func NewCounters() *Counters {
	return &Counters{m: make(map[string]int64)}
}

// Add adds n to the named counter.
func (c *Counters) Add(name string, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[name] += n
}

// Snapshot is a point-in-time copy of a counter set.
type Snapshot map[string]int64

// Snapshot copies the current values.
func (c *Counters) Snapshot() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.m)
}

// Reset zeroes every counter and returns the values it had.
func (c *Counters) Reset() Snapshot {
	c.mu.Lock()
	old := c.m
	c.m = make(map[string]int64, len(old))
	c.mu.Unlock()
	return old
}

// Log writes the snapshot as one record, counters in name order.
func (s Snapshot) Log(logger *slog.Logger) {
	attrs := make([]slog.Attr, 0, len(s))
	for _, k := range slices.Sorted(maps.Keys(s)) {
		attrs = append(attrs, slog.Int64(k, s[k]))
	}
	logger.LogAttrs(context.Background(), slog.LevelInfo, "counters", attrs...)
}
