package interceptors

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"example.com/rpcservices/rpc"
)

// RecoveryServer turns a handler panic into an Internal error.
func RecoveryServer(l *slog.Logger) rpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *rpc.UnaryInfo, next rpc.UnaryHandler) (resp any, err error) {
		defer handlePanic(ctx, l, info.FullMethod(), &err)
		return next(ctx, req)
	}
}

// handlePanic must be deferred directly: defer handlePanic(...).
func handlePanic(ctx context.Context, l *slog.Logger, method string, errp *error) {
	if p := recover(); p != nil {
		l.ErrorContext(ctx, "panic in handler", "method", method, "panic", p, "stack", string(debug.Stack()))
		*errp = rpc.Errorf(rpc.Internal, "internal error")
	}
}

type keepaliveMsg struct {
	Keepalive bool `json:"keepalive"`
}

// RecoveryStream recovers stream handlers and keeps idle streams alive
// through proxies by sending empty keepalive frames.
func RecoveryStream(l *slog.Logger, keepalive time.Duration) rpc.StreamServerInterceptor {
	return func(ctx context.Context, req any, ss *rpc.ServerStream, info *rpc.UnaryInfo, next rpc.StreamHandler) (err error) {
		defer func() {
			if p := recover(); p != nil {
				l.Error("panic in stream handler", "method", info.FullMethod(), "panic", p)
				err = rpc.Errorf(rpc.Internal, "internal error")
			}
		}()
		if keepalive > 0 {
			stop := make(chan struct{})
			defer close(stop)
			go sendKeepalives(ss, keepalive, stop) // HAZ goroutine-outside-recover
		}
		return next(ctx, req, ss)
	}
}

func sendKeepalives(ss *rpc.ServerStream, every time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ss.Context().Done():
			return
		case <-t.C:
			if err := ss.Send(keepaliveMsg{Keepalive: true}); err != nil {
				return
			}
		}
	}
}

// RecoveryClient turns a panic inside the client chain (a broken codec, a
// bad interceptor) into an error for the caller.
func RecoveryClient(l *slog.Logger) rpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, next rpc.Invoker) (err error) {
		defer func() {
			if logPanic(l, method) {
				err = rpc.Errorf(rpc.Internal, "client panic in %s", method)
			}
		}()
		return next(ctx, method, req, reply)
	}
}

func logPanic(l *slog.Logger, method string) bool {
	p := recover() // HAZ recover-ineffective
	if p == nil {
		return false
	}
	l.Error("recovered client panic", "method", method, "panic", p)
	return true
}
