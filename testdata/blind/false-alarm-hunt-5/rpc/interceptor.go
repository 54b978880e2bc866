package rpc

import (
	"context"
	"log"
	"runtime/debug"
	"strings"
	"time"
)

// UnaryHandler serves one unary call.
type UnaryHandler func(ctx context.Context, req any) (any, error)

// UnaryServerInfo describes the call being intercepted.
type UnaryServerInfo struct {
	FullMethod string
}

// UnaryServerInterceptor wraps a unary handler.
type UnaryServerInterceptor func(ctx context.Context, req any, info *UnaryServerInfo, handler UnaryHandler) (any, error)

// ChainUnaryInterceptors composes interceptors; the first is outermost.
func ChainUnaryInterceptors(ints ...UnaryServerInterceptor) UnaryServerInterceptor {
	switch len(ints) {
	case 0:
		return func(ctx context.Context, req any, _ *UnaryServerInfo, h UnaryHandler) (any, error) {
			return h(ctx, req)
		}
	case 1:
		return ints[0]
	}
	return func(ctx context.Context, req any, info *UnaryServerInfo, final UnaryHandler) (any, error) {
		return ints[0](ctx, req, info, chainUnaryHandler(ints, 0, info, final))
	}
}

func chainUnaryHandler(ints []UnaryServerInterceptor, cur int, info *UnaryServerInfo, final UnaryHandler) UnaryHandler {
	if cur == len(ints)-1 {
		return final
	}
	return func(ctx context.Context, req any) (any, error) {
		return ints[cur+1](ctx, req, info, chainUnaryHandler(ints, cur+1, info, final))
	}
}

// RecoveryInterceptor turns handler panics into Internal errors.
func RecoveryInterceptor(logger *log.Logger) UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *UnaryServerInfo, handler UnaryHandler) (resp any, err error) {
		defer func() {
			if r := recover(); r != nil {
				logger.Printf("rpc: panic in %s: %v\n%s", info.FullMethod, r, debug.Stack())
				resp, err = nil, Errorf(Internal, "internal error")
			}
		}()
		return handler(ctx, req)
	}
}

// LoggingInterceptor logs every call with its code and latency.
func LoggingInterceptor(logger *log.Logger) UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *UnaryServerInfo, handler UnaryHandler) (resp any, err error) {
		start := time.Now()
		defer func() {
			logger.Printf("rpc: %s code=%s dur=%s", info.FullMethod, CodeOf(err), time.Since(start))
		}()
		return handler(ctx, req)
	}
}

// TimeoutInterceptor applies a default deadline to calls that have none.
func TimeoutInterceptor(d time.Duration) UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *UnaryServerInfo, handler UnaryHandler) (any, error) {
		if _, ok := ctx.Deadline(); ok || d <= 0 {
			return handler(ctx, req)
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		resp, err := handler(ctx, req)
		if err != nil && ctx.Err() == context.DeadlineExceeded {
			return nil, Errorf(DeadlineExceeded, "%s: deadline of %s exceeded", info.FullMethod, d)
		}
		return resp, err
	}
}

// CallObserver is told when calls start and how they end.
type CallObserver interface {
	Begin(method string) func(code Code)
}

// ObserverInterceptor reports every call to obs.
func ObserverInterceptor(obs CallObserver) UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *UnaryServerInfo, handler UnaryHandler) (resp any, err error) {
		finish := obs.Begin(info.FullMethod)
		defer func() { finish(CodeOf(err)) }()
		return handler(ctx, req)
	}
}

// AuthInterceptor checks a bearer token from the incoming metadata.
func AuthInterceptor(verify func(ctx context.Context, token string) (context.Context, error)) UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *UnaryServerInfo, handler UnaryHandler) (any, error) {
		md, _ := FromIncomingContext(ctx)
		vals := md.Get("authorization")
		if len(vals) == 0 {
			return nil, Errorf(Unauthenticated, "%s: missing credentials", info.FullMethod)
		}
		token, ok := strings.CutPrefix(vals[0], "Bearer ")
		if !ok || token == "" {
			return nil, Errorf(Unauthenticated, "%s: malformed authorization header", info.FullMethod)
		}
		ctx, err := verify(ctx, token)
		if err != nil {
			return nil, Errorf(Unauthenticated, "%v", err)
		}
		return handler(ctx, req)
	}
}

// recoverTo is deferred directly by the dispatch code: it converts a panic
// into an Internal status stored through errp.
func recoverTo(logger *log.Logger, method string, errp *error) {
	if r := recover(); r != nil {
		logger.Printf("rpc: panic serving %s: %v\n%s", method, r, debug.Stack())
		*errp = Errorf(Internal, "panic serving %s", method)
	}
}
