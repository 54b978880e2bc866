package rpc

import (
	"context"
	"net/http"
	"sort"
	"strings"
)

// MD is request or response metadata: lower-case keys, multiple values.
type MD map[string][]string

// NewMD builds metadata from key/value pairs.
func NewMD(kv ...string) MD {
	if len(kv)%2 == 1 {
		panic("rpc: NewMD got an odd number of arguments")
	}
	md := make(MD, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k := strings.ToLower(kv[i])
		md[k] = append(md[k], kv[i+1])
	}
	return md
}

// Get returns the first value for key, or "".
func (md MD) Get(key string) string {
	vs := md[strings.ToLower(key)]
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// Set replaces the values of key.
func (md MD) Set(key string, vals ...string) {
	md[strings.ToLower(key)] = append([]string(nil), vals...)
}

// Append adds values to key.
func (md MD) Append(key string, vals ...string) {
	k := strings.ToLower(key)
	md[k] = append(md[k], vals...)
}

// Clone returns a deep copy.
func (md MD) Clone() MD {
	out := make(MD, len(md))
	for k, vs := range md {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Keys returns the keys in sorted order.
func (md MD) Keys() []string {
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Join merges several MDs; later values are appended.
func Join(mds ...MD) MD {
	out := MD{}
	for _, md := range mds {
		for k, vs := range md {
			out[k] = append(out[k], vs...)
		}
	}
	return out
}

type outgoingKey struct{}

type incomingKey struct{}

// NewOutgoingContext attaches metadata to be sent by a client.
func NewOutgoingContext(ctx context.Context, md MD) context.Context {
	return context.WithValue(ctx, outgoingKey{}, md)
}

// OutgoingFromContext returns the outgoing metadata of ctx.
func OutgoingFromContext(ctx context.Context) (MD, bool) {
	md, ok := ctx.Value(outgoingKey{}).(MD)
	return md, ok
}

// AppendToOutgoing returns a context whose outgoing metadata has kv added.
// The metadata already in ctx is copied, never modified.
func AppendToOutgoing(ctx context.Context, kv ...string) context.Context {
	md, _ := OutgoingFromContext(ctx)
	return NewOutgoingContext(ctx, Join(md, NewMD(kv...)))
}

// NewIncomingContext attaches metadata received by a server.
func NewIncomingContext(ctx context.Context, md MD) context.Context {
	return context.WithValue(ctx, incomingKey{}, md)
}

// IncomingFromContext returns the metadata the caller sent.
func IncomingFromContext(ctx context.Context) (MD, bool) {
	md, ok := ctx.Value(incomingKey{}).(MD)
	return md, ok
}

const mdHeaderPrefix = "Rpc-Md-"

// ToHeader writes md into HTTP headers.
func (md MD) ToHeader(h http.Header) {
	for k, vs := range md {
		for _, v := range vs {
			h.Add(mdHeaderPrefix+k, v)
		}
	}
}

// MDFromHeader extracts metadata from HTTP headers.
func MDFromHeader(h http.Header) MD {
	md := MD{}
	for k, vs := range h {
		if !strings.HasPrefix(k, mdHeaderPrefix) {
			continue
		}
		key := strings.ToLower(strings.TrimPrefix(k, mdHeaderPrefix))
		md[key] = append(md[key], vs...)
	}
	return md
}
