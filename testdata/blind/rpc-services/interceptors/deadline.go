// Package interceptors holds the client and server interceptors shared by
// all services: deadlines, metadata, logging, recovery, retries, hedging,
// rate limits, auth and tracing.
package interceptors

import (
	"context"
	"time"

	"example.com/rpcservices/rpc"
)

// DeadlineServer gives every call a deadline: the caller's, or def when the
// caller sent none, capped at max.
func DeadlineServer(def, max time.Duration) rpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *rpc.UnaryInfo, next rpc.UnaryHandler) (any, error) {
		d := def
		if dl, ok := ctx.Deadline(); ok {
			d = time.Until(dl)
		}
		if d <= 0 {
			return nil, rpc.Errorf(rpc.DeadlineExceeded, "deadline already passed for %s", info.FullMethod())
		}
		if max > 0 && d > max {
			d = max
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return next(ctx, req)
	}
}

// DeadlineClient sets a default deadline on calls that have none.
func DeadlineClient(def time.Duration) rpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, next rpc.Invoker) error {
		if _, ok := ctx.Deadline(); ok || def <= 0 {
			return next(ctx, method, req, reply)
		}
		ctx, cancel := context.WithTimeout(ctx, def)
		defer cancel()
		return next(ctx, method, req, reply)
	}
}

// Remaining returns the time left before the deadline of ctx.
func Remaining(ctx context.Context) (time.Duration, bool) {
	dl, ok := ctx.Deadline()
	if !ok {
		return 0, false
	}
	return time.Until(dl), true
}

// ShrinkDeadline keeps headroom for the work a server does after calling
// downstream (writing the reply, logging).
func ShrinkDeadline(ctx context.Context, headroom time.Duration) (context.Context, context.CancelFunc) {
	dl, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, dl.Add(-headroom))
}
