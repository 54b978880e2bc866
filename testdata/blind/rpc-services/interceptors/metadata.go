package interceptors

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"

	"example.com/rpcservices/rpc"
	"example.com/rpcservices/trace"
)

// RequestIDKey is the metadata key of the request id.
const RequestIDKey = "x-request-id"

// RequestID makes sure every call has a request id and a request logger
// that carries it.
func RequestID() rpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *rpc.UnaryInfo, next rpc.UnaryHandler) (any, error) {
		md, _ := rpc.IncomingFromContext(ctx)
		id := md.Get(RequestIDKey)
		if id == "" {
			id = NewRequestID()
			md = md.Clone()
			md.Set(RequestIDKey, id)
			ctx = rpc.NewIncomingContext(ctx, md)
		}
		l := trace.LoggerFrom(ctx).With("request_id", id, "method", info.FullMethod())
		return next(trace.WithLogger(ctx, l), req)
	}
}

// PropagateMetadata forwards selected incoming keys to downstream calls.
func PropagateMetadata(keys ...string) rpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, next rpc.Invoker) error {
		in, ok := rpc.IncomingFromContext(ctx)
		if !ok {
			return next(ctx, method, req, reply)
		}
		for _, k := range keys {
			if v := in.Get(k); v != "" {
				ctx = rpc.AppendToOutgoing(ctx, k, v)
			}
		}
		return next(ctx, method, req, reply)
	}
}

// NewRequestID returns 16 hex characters.
func NewRequestID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	return hex.EncodeToString(b[:])
}
