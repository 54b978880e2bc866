package interceptors

import (
	"context"
	"slices"
	"strings"

	"example.com/rpcservices/rpc"
)

type principalKey struct{}

// BearerAuth checks the "authorization" metadata of every call except the
// methods listed in skip (health checks).
func BearerAuth(validate func(ctx context.Context, token string) (string, error), skip ...string) rpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *rpc.UnaryInfo, next rpc.UnaryHandler) (any, error) {
		if slices.Contains(skip, info.FullMethod()) {
			return next(ctx, req)
		}
		md, _ := rpc.IncomingFromContext(ctx)
		token, ok := strings.CutPrefix(md.Get("authorization"), "Bearer ")
		if !ok || token == "" {
			return nil, rpc.Errorf(rpc.Unauthenticated, "missing bearer token")
		}
		who, err := validate(ctx, token)
		if err != nil {
			return nil, rpc.Errorf(rpc.Unauthenticated, "invalid token: %v", err)
		}
		return next(context.WithValue(ctx, principalKey{}, who), req)
	}
}

// PrincipalFrom returns the authenticated caller.
func PrincipalFrom(ctx context.Context) (string, bool) {
	who, ok := ctx.Value(principalKey{}).(string)
	return who, ok
}

// WithToken sends a bearer token on every call.
func WithToken(token string) rpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, next rpc.Invoker) error {
		return next(rpc.AppendToOutgoing(ctx, "authorization", "Bearer "+token), method, req, reply)
	}
}
