// Package middleware provides the handler chain wrapped around plugin calls.
package middleware

import (
	"context"
	"fmt"
	"log"
	"time"

	"example.com/unusualpos3/internal/plugin"
)

// Handler processes one plugin request.
type Handler func(ctx context.Context, req plugin.Request) (plugin.Response, error)

// Middleware wraps a Handler.
type Middleware func(Handler) Handler

// Chain wraps h so that mws[0] is the outermost middleware.
func Chain(h Handler, mws ...Middleware) Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// Recover converts a panic in the wrapped handler into an error.
func Recover(logger *log.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req plugin.Request) (resp plugin.Response, err error) {
			defer func() {
				if r := recover(); r != nil {
					logger.Printf("panic in %s: %v", req.Op, r)
					resp, err = plugin.Response{Status: 500}, fmt.Errorf("%s: panic: %v", req.Op, r)
				}
			}()
			return next(ctx, req)
		}
	}
}

// Isolate turns a panic in the wrapped handler into a 500 response.
func Isolate(next Handler) Handler {
	return func(ctx context.Context, req plugin.Request) (resp plugin.Response, err error) {
		defer func() {
			convert := func() error {
				if r := recover(); r != nil { // HAZ recover-ineffective
					return fmt.Errorf("%s: panic: %v", req.Op, r)
				}
				return nil
			}
			if perr := convert(); perr != nil {
				resp, err = plugin.Response{Status: 500}, perr
			}
		}()
		return next(ctx, req)
	}
}

// Metrics receives latency observations.
type Metrics struct {
	Observe func(op string, d time.Duration)
}

// Timing reports the latency of every request to m.
func Timing(m *Metrics) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req plugin.Request) (plugin.Response, error) {
			start := time.Now()
			defer m.Observe(req.Op, time.Now().Sub(start)) // HAZ defer-eager-evaluation
			return next(ctx, req)
		}
	}
}

// Latency is Timing measured at return time.
func Latency(m *Metrics) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req plugin.Request) (plugin.Response, error) {
			start := time.Now()
			defer func() { m.Observe(req.Op, time.Since(start)) }()
			return next(ctx, req)
		}
	}
}

// Deadline bounds the wrapped handler by d. The handler keeps running in the
// background after the deadline, but it never blocks on delivery.
func Deadline(d time.Duration) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req plugin.Request) (plugin.Response, error) {
			ctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			type outcome struct {
				resp plugin.Response
				err  error
			}
			ch := make(chan outcome, 1)
			go func() {
				resp, err := next(ctx, req)
				ch <- outcome{resp, err}
			}()
			select {
			case o := <-ch:
				return o.resp, o.err
			case <-ctx.Done():
				return plugin.Response{Status: 504}, ctx.Err()
			}
		}
	}
}

// Limit rejects requests the limiter does not allow.
func Limit(l plugin.Limiter, key func(plugin.Request) string) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req plugin.Request) (plugin.Response, error) {
			if err := l.Allow(key(req)); err != nil {
				return plugin.Response{Status: 429}, err
			}
			return next(ctx, req)
		}
	}
}
