package trace

import (
	"context"
	"strings"

	"example.com/rpcservices/rpc"
)

const traceparentKey = "traceparent"

// SpanContext identifies a span in another process.
type SpanContext struct {
	TraceID string
	SpanID  string
}

type remoteKey struct{}

// Inject writes the current span into outgoing metadata (W3C traceparent).
func Inject(ctx context.Context, md rpc.MD) {
	s := SpanFromContext(ctx)
	if s == nil {
		return
	}
	md.Set(traceparentKey, "00-"+s.TraceID()+"-"+s.SpanID()+"-01")
}

// Extract reads a remote parent from incoming metadata.
func Extract(ctx context.Context, md rpc.MD) context.Context {
	parts := strings.Split(md.Get(traceparentKey), "-")
	if len(parts) != 4 || len(parts[1]) != 32 || len(parts[2]) != 16 {
		return ctx
	}
	return context.WithValue(ctx, remoteKey{}, SpanContext{TraceID: parts[1], SpanID: parts[2]})
}

func remoteFrom(ctx context.Context) (SpanContext, bool) {
	sc, ok := ctx.Value(remoteKey{}).(SpanContext)
	return sc, ok
}
