package middleware

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"

	"example.com/unusualpos3/internal/plugin"
)

// logPanic reports a recovered panic together with where it happened.
func logPanic(logger *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("%s: panic: %v\n%s", where, r, debug.Stack())
	}
}

// Logged logs panics of the wrapped handler under name.
func Logged(logger *log.Logger, name string) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req plugin.Request) (plugin.Response, error) {
			defer func() { logPanic(logger, name+"/"+req.Op) }()
			return next(ctx, req)
		}
	}
}

// handlePanic converts a panic into *errp. It must be deferred directly.
func handlePanic(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("panic: %v", r)
	}
}

// Protect converts panics of the wrapped handler into errors.
func Protect(next Handler) Handler {
	return func(ctx context.Context, req plugin.Request) (resp plugin.Response, err error) {
		defer handlePanic(&err)
		return next(ctx, req)
	}
}

// Trace logs the start and end of every request.
func Trace(logger *log.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req plugin.Request) (plugin.Response, error) {
			defer traceOp(logger, req.Op)()
			return next(ctx, req)
		}
	}
}

// traceOp logs the start of op and returns the function logging its end.
func traceOp(logger *log.Logger, op string) func() {
	logger.Printf("begin %s", op)
	return func() { logger.Printf("end %s", op) }
}

// Annotate adds the request op to the error of the wrapped handler.
func Annotate(next Handler) Handler {
	return func(ctx context.Context, req plugin.Request) (resp plugin.Response, err error) {
		defer func() {
			if err != nil {
				err = fmt.Errorf("op %s: %w", req.Op, err)
			}
		}()
		return next(ctx, req)
	}
}

// Async runs the wrapped handler in the background and answers 202 at once.
func Async(logger *log.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req plugin.Request) (resp plugin.Response, err error) {
			defer func() {
				if r := recover(); r != nil {
					logger.Printf("async %s: panic: %v", req.Op, r)
					resp, err = plugin.Response{Status: 500}, fmt.Errorf("%s: panic: %v", req.Op, r)
				}
			}()
			go next(context.WithoutCancel(ctx), req) // HAZ goroutine-outside-recover
			return plugin.Response{Status: 202}, nil
		}
	}
}

// Silent drops panics of the wrapped handler; it is used for fire-and-forget
// notifications.
func Silent(next Handler) Handler {
	return func(ctx context.Context, req plugin.Request) (plugin.Response, error) {
		defer func() {
			if recover() != nil { // HAZ recover-swallows-panic
				return
			}
		}()
		return next(ctx, req)
	}
}
