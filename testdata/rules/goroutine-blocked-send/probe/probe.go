// Package probe checks TCP targets and reports on a channel its caller gives.
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

// Check dials target and sends the result on out.
func Check(ctx context.Context, d *net.Dialer, target string, out chan<- Result) {
	start := time.Now()
	conn, err := d.DialContext(ctx, "tcp", target)
	if err == nil {
		err = conn.Close()
	}
	out <- Result{Target: target, Latency: time.Since(start), Err: err}
}

// CheckCtx is Check for callers that may stop listening.
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
