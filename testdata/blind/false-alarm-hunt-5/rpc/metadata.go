package rpc

import (
	"context"
	"strings"
)

// MD is request metadata: lower-case keys to values.
type MD map[string][]string

// Pairs builds MD from alternating keys and values.
func Pairs(kv ...string) MD {
	if len(kv)%2 == 1 {
		panic("rpc: Pairs got an odd number of arguments")
	}
	md := make(MD, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k := strings.ToLower(kv[i])
		md[k] = append(md[k], kv[i+1])
	}
	return md
}

// Get returns the values for key.
func (md MD) Get(key string) []string { return md[strings.ToLower(key)] }

// Set replaces the values for key.
func (md MD) Set(key string, vals ...string) {
	if len(vals) == 0 {
		return
	}
	md[strings.ToLower(key)] = vals
}

// Copy returns a deep copy.
func (md MD) Copy() MD {
	out := make(MD, len(md))
	for k, v := range md {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// Join merges several MDs; later values are appended.
func Join(mds ...MD) MD {
	out := MD{}
	for _, md := range mds {
		for k, v := range md {
			out[k] = append(out[k], v...)
		}
	}
	return out
}

type incomingKey struct{}

// NewIncomingContext attaches md to ctx.
func NewIncomingContext(ctx context.Context, md MD) context.Context {
	return context.WithValue(ctx, incomingKey{}, md)
}

// FromIncomingContext returns the metadata attached by NewIncomingContext.
func FromIncomingContext(ctx context.Context) (MD, bool) {
	md, ok := ctx.Value(incomingKey{}).(MD)
	return md, ok
}
