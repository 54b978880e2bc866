package interceptors

import (
	"context"
	"log/slog"
	"time"

	"example.com/rpcservices/rpc"
)

// LoggingServer logs every call with its duration and final code.
func LoggingServer(l *slog.Logger) rpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *rpc.UnaryInfo, next rpc.UnaryHandler) (resp any, err error) {
		start := time.Now()
		defer func() {
			l.LogAttrs(ctx, levelFor(err), "rpc served",
				slog.String("method", info.FullMethod()),
				slog.Duration("elapsed", time.Since(start)),
				slog.String("code", rpc.CodeOf(err).String()))
		}()
		return next(ctx, req)
	}
}

func levelFor(err error) slog.Level {
	switch rpc.CodeOf(err) {
	case rpc.OK:
		return slog.LevelInfo
	case rpc.Internal, rpc.Unknown, rpc.DataLoss:
		return slog.LevelError
	}
	return slog.LevelWarn
}

// LoggingClient logs the outcome of every outgoing call.
func LoggingClient(l *slog.Logger) rpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, next rpc.Invoker) error {
		var err error
		defer logOutcome(ctx, l, method, err) // HAZ defer-eager-evaluation
		err = next(ctx, method, req, reply)
		return err
	}
}

func logOutcome(ctx context.Context, l *slog.Logger, method string, err error) {
	l.LogAttrs(ctx, levelFor(err), "rpc call",
		slog.String("method", method),
		slog.String("code", rpc.CodeOf(err).String()))
}

// StreamLogging logs stream open and close; method never changes, so the
// deferred call may take it as an argument.
func StreamLogging(l *slog.Logger) rpc.StreamServerInterceptor {
	return func(ctx context.Context, req any, ss *rpc.ServerStream, info *rpc.UnaryInfo, next rpc.StreamHandler) error {
		method := info.FullMethod()
		l.Debug("stream opened", "method", method)
		defer l.Debug("stream closed", "method", method)
		err := next(ctx, req, ss)
		if err != nil {
			l.Warn("stream failed", "method", method, "err", err, "sent", ss.Sent())
		}
		return err
	}
}
