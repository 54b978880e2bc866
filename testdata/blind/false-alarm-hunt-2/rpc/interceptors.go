package rpc

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"time"

	"example.com/falsealarm2/telemetry"
)

// PanicError carries a recovered panic value and its stack.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("rpc: panic: %v", e.Value) }

// RecoverTo converts a panic into *errp; it must be deferred directly: defer RecoverTo(&err).
func RecoverTo(errp *error) {
	if r := recover(); r != nil {
		*errp = &PanicError{Value: r, Stack: debug.Stack()}
	}
}

// logAndRepanic logs a panic and lets it continue; it must be deferred directly.
func logAndRepanic(logger *log.Logger, where string) {
	if r := recover(); r != nil {
		logger.Printf("rpc: panic in %s: %v", where, r)
		panic(r)
	}
}

// logPanic reports a recovered value.
func logPanic(logger *log.Logger, r any) {
	if r != nil {
		logger.Printf("rpc: recovered: %v", r)
	}
}

// Recovery converts handler panics into errors.
func Recovery() Interceptor {
	return func(ctx context.Context, params json.RawMessage, info *Info, next Handler) (resp any, err error) {
		defer RecoverTo(&err) // ok: RecoverTo calls recover directly and is deferred directly
		return next(ctx, params)
	}
}

// Logging logs each call with its duration.
func Logging(logger *log.Logger) Interceptor {
	return func(ctx context.Context, params json.RawMessage, info *Info, next Handler) (resp any, err error) {
		start := time.Now()
		defer func() {
			logger.Printf("rpc: %s from %s took %v err=%v", info.Method, info.Peer, time.Since(start), err)
		}()
		return next(ctx, params)
	}
}

func logCall(logger *log.Logger, method string, err error) {
	if err != nil {
		logger.Printf("rpc: %s failed: %v", method, err)
		return
	}
	logger.Printf("rpc: %s ok", method)
}

// AccessLog is a terser Logging.
func AccessLog(logger *log.Logger) Interceptor {
	return func(ctx context.Context, params json.RawMessage, info *Info, next Handler) (resp any, err error) {
		defer logCall(logger, info.Method, err) // HAZ defer-eager-evaluation
		resp, err = next(ctx, params)
		return resp, err
	}
}

// AuditLog logs every call once it has returned.
func AuditLog(logger *log.Logger) Interceptor {
	return func(ctx context.Context, params json.RawMessage, info *Info, next Handler) (resp any, err error) {
		defer func() { logCall(logger, info.Method, err) }() // ok: err read at exit
		return next(ctx, params)
	}
}

// Timing records call latency in h.
func Timing(h *telemetry.Histogram) Interceptor {
	return func(ctx context.Context, params json.RawMessage, info *Info, next Handler) (any, error) {
		defer h.Since(time.Now()) // ok: the start time is the intended argument
		return next(ctx, params)
	}
}

// Tracing wraps each call in a span.
func Tracing(t *telemetry.Tracer) Interceptor {
	return func(ctx context.Context, params json.RawMessage, info *Info, next Handler) (resp any, err error) {
		ctx, span := t.Start(ctx, "rpc."+info.Method)
		defer func() { span.EndWithError(err) }()
		span.SetAttr("peer", info.Peer)
		return next(ctx, params)
	}
}

// Deadline applies a per-call timeout.
func Deadline(d time.Duration) Interceptor {
	return func(ctx context.Context, params json.RawMessage, info *Info, next Handler) (any, error) {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return next(ctx, params)
	}
}

// InFlight limits concurrent calls per method.
type InFlight struct {
	mu    sync.Mutex
	count map[string]int
	limit int
}

// NewInFlight returns a limiter.
func NewInFlight(limit int) *InFlight {
	return &InFlight{count: map[string]int{}, limit: limit}
}

func (f *InFlight) enter(method string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.count[method] >= f.limit {
		return false
	}
	f.count[method]++
	return true
}

func (f *InFlight) leave(method string) {
	f.mu.Lock()
	f.count[method]--
	f.mu.Unlock()
}

// Interceptor returns the limiting interceptor.
func (f *InFlight) Interceptor() Interceptor {
	return func(ctx context.Context, params json.RawMessage, info *Info, next Handler) (any, error) {
		if !f.enter(info.Method) {
			return nil, fmt.Errorf("rpc: %s: too many in-flight calls", info.Method)
		}
		defer f.leave(info.Method)
		return next(ctx, params)
	}
}

// Notify calls a handler without waiting for a reply and logs panics.
func (s *Server) Notify(ctx context.Context, method string, params json.RawMessage) {
	h, _, ok := s.lookup(method)
	if !ok {
		return
	}
	go func() {
		defer logAndRepanic(s.logger, method) // ok: logs, then lets the panic crash loudly
		if _, err := h(ctx, params); err != nil {
			s.logger.Printf("rpc: notify %s: %v", method, err)
		}
	}()
}

// Broadcast calls a method on behalf of many peers, best effort.
func (s *Server) Broadcast(ctx context.Context, method string, params json.RawMessage) {
	h, _, ok := s.lookup(method)
	if !ok {
		return
	}
	defer logPanic(s.logger, recover()) // HAZ recover-ineffective
	if _, err := h(ctx, params); err != nil {
		s.logger.Printf("rpc: broadcast %s: %v", method, err)
	}
}

// Safely runs fn and reports a panic as an error.
func Safely(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			logPanic(log.Default(), r) // ok: recover is called directly by the deferred closure
			err = &PanicError{Value: r}
		}
	}()
	return fn()
}
