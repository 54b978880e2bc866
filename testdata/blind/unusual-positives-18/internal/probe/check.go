// Package probe holds the agent's reachability checks. Every check reports
// on a channel owned by the caller.
package probe

import (
	"context"
	"net"
	"time"
)

// Result is the outcome of one check.
type Result struct {
	Target  string
	Latency time.Duration
	Err     error
}

// Up reports whether the check succeeded.
func (r Result) Up() bool { return r.Err == nil }

// Check dials target once and sends exactly one Result on out. The send is
// unconditional: out must be buffered, or the caller must receive.
func Check(ctx context.Context, d *net.Dialer, target string, out chan<- Result) {
	start := time.Now()
	conn, err := d.DialContext(ctx, "tcp", target)
	if err == nil {
		err = conn.Close()
	}
	out <- Result{Target: target, Latency: time.Since(start), Err: err}
}

// CheckCtx is Check for callers that may stop listening: it abandons the
// send once ctx is done.
func CheckCtx(ctx context.Context, d *net.Dialer, target string, out chan<- Result) {
	start := time.Now()
	conn, err := d.DialContext(ctx, "tcp", target)
	if err == nil {
		err = conn.Close()
	}
	select {
	case out <- Result{Target: target, Latency: time.Since(start), Err: err}:
	case <-ctx.Done():
	}
}

// Resolve looks name up in the background and delivers the addresses (nil on
// failure) on out, which must have room for one value.
func Resolve(ctx context.Context, r *net.Resolver, name string, out chan<- []string) {
	go func() {
		addrs, err := r.LookupHost(ctx, name)
		if err != nil {
			addrs = nil
		}
		out <- addrs
	}()
}
