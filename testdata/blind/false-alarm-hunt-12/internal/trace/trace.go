// Package trace has tiny timing helpers built on log/slog.
package trace

import (
	"context"
	"log/slog"
	"time"
)

// Track logs the start of op and returns a func that logs its duration.
// Use it as `defer trace.Track(l, "op")()`.
func Track(l *slog.Logger, op string) func() {
	start := time.Now()
	l.Debug("start", "op", op)
	return func() {
		l.Debug("done", "op", op, "elapsed", time.Since(start))
	}
}

// Timer measures one operation and records it into a histogram-like sink.
type Timer struct {
	name  string
	start time.Time
	sink  func(name string, d time.Duration)
}

// Start returns a running Timer.
func Start(name string, sink func(string, time.Duration)) *Timer {
	return &Timer{name: name, start: time.Now(), sink: sink}
}

// Stop records the elapsed time at the moment Stop is called.
func (t *Timer) Stop() {
	t.sink(t.name, time.Since(t.start))
}

// WithOp returns a child logger tagged with op and the request id in ctx.
func WithOp(ctx context.Context, l *slog.Logger, op string) *slog.Logger {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok {
		return l.With("op", op, "request_id", id)
	}
	return l.With("op", op)
}

type requestIDKey struct{}

// WithRequestID stores id in ctx.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}
