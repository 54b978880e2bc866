package interceptors

import (
	"context"

	"example.com/rpcservices/rpc"
	"example.com/rpcservices/trace"
)

// TracingServer starts a server span per call, parented to the caller's span.
// The span is finished with the final error: the deferred closure reads the
// named result when the function exits.
func TracingServer(t *trace.Tracer) rpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *rpc.UnaryInfo, next rpc.UnaryHandler) (resp any, err error) {
		md, _ := rpc.IncomingFromContext(ctx)
		ctx, span := t.Start(trace.Extract(ctx, md), info.FullMethod())
		defer func() { span.Finish(err) }()
		span.SetAttr("rpc.service", info.Service)
		return next(ctx, req)
	}
}

// TracingClient starts a client span and injects it into outgoing metadata.
func TracingClient(t *trace.Tracer) rpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, next rpc.Invoker) (err error) {
		ctx, span := t.Start(ctx, "call "+method)
		defer func() { span.Finish(err) }()
		md := rpc.MD{}
		trace.Inject(ctx, md)
		if out, ok := rpc.OutgoingFromContext(ctx); ok {
			md = rpc.Join(out, md)
		}
		return next(rpc.NewOutgoingContext(ctx, md), method, req, reply)
	}
}
