package rpc

import "context"

// UnaryHandler serves one unary call.
type UnaryHandler func(ctx context.Context, req any) (any, error)

// StreamHandler serves one server-streaming call.
type StreamHandler func(ctx context.Context, req any, ss *ServerStream) error

// UnaryInfo describes the method being served.
type UnaryInfo struct {
	Service string
	Method  string
}

// FullMethod returns "/service/method".
func (i *UnaryInfo) FullMethod() string { return "/" + i.Service + "/" + i.Method }

// UnaryServerInterceptor wraps a unary handler.
type UnaryServerInterceptor func(ctx context.Context, req any, info *UnaryInfo, next UnaryHandler) (any, error)

// StreamServerInterceptor wraps a streaming handler.
type StreamServerInterceptor func(ctx context.Context, req any, ss *ServerStream, info *UnaryInfo, next StreamHandler) error

// Invoker performs a unary call on the client side.
type Invoker func(ctx context.Context, method string, req, reply any) error

// UnaryClientInterceptor wraps a client invoker.
type UnaryClientInterceptor func(ctx context.Context, method string, req, reply any, next Invoker) error

// ChainUnaryServer composes interceptors; the first one is the outermost.
func ChainUnaryServer(ics ...UnaryServerInterceptor) UnaryServerInterceptor {
	switch len(ics) {
	case 0:
		return func(ctx context.Context, req any, _ *UnaryInfo, next UnaryHandler) (any, error) {
			return next(ctx, req)
		}
	case 1:
		return ics[0]
	}
	return func(ctx context.Context, req any, info *UnaryInfo, final UnaryHandler) (any, error) {
		return ics[0](ctx, req, info, chainUnaryHandler(ics[1:], info, final))
	}
}

func chainUnaryHandler(ics []UnaryServerInterceptor, info *UnaryInfo, final UnaryHandler) UnaryHandler {
	if len(ics) == 0 {
		return final
	}
	return func(ctx context.Context, req any) (any, error) {
		return ics[0](ctx, req, info, chainUnaryHandler(ics[1:], info, final))
	}
}

// ChainStreamServer composes stream interceptors; the first one is the outermost.
func ChainStreamServer(ics ...StreamServerInterceptor) StreamServerInterceptor {
	if len(ics) == 0 {
		return func(ctx context.Context, req any, ss *ServerStream, _ *UnaryInfo, next StreamHandler) error {
			return next(ctx, req, ss)
		}
	}
	return func(ctx context.Context, req any, ss *ServerStream, info *UnaryInfo, final StreamHandler) error {
		return ics[0](ctx, req, ss, info, chainStreamHandler(ics[1:], info, final))
	}
}

func chainStreamHandler(ics []StreamServerInterceptor, info *UnaryInfo, final StreamHandler) StreamHandler {
	if len(ics) == 0 {
		return final
	}
	return func(ctx context.Context, req any, ss *ServerStream) error {
		return ics[0](ctx, req, ss, info, chainStreamHandler(ics[1:], info, final))
	}
}

// ChainUnaryClient composes client interceptors; the first one is the outermost.
func ChainUnaryClient(ics ...UnaryClientInterceptor) UnaryClientInterceptor {
	if len(ics) == 0 {
		return func(ctx context.Context, method string, req, reply any, next Invoker) error {
			return next(ctx, method, req, reply)
		}
	}
	return func(ctx context.Context, method string, req, reply any, final Invoker) error {
		return ics[0](ctx, method, req, reply, chainInvoker(ics[1:], final))
	}
}

func chainInvoker(ics []UnaryClientInterceptor, final Invoker) Invoker {
	if len(ics) == 0 {
		return final
	}
	return func(ctx context.Context, method string, req, reply any) error {
		return ics[0](ctx, method, req, reply, chainInvoker(ics[1:], final))
	}
}
