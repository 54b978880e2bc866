package trace

import (
	"context"
	"log/slog"
)

type loggerKey struct{}

// WithLogger stores a request-scoped logger.
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// LoggerFrom returns the request logger, annotated with the current span.
func LoggerFrom(ctx context.Context) *slog.Logger {
	l, ok := ctx.Value(loggerKey{}).(*slog.Logger)
	if !ok {
		l = slog.Default()
	}
	if s := SpanFromContext(ctx); s != nil {
		l = l.With("trace_id", s.TraceID(), "span_id", s.SpanID())
	}
	return l
}
