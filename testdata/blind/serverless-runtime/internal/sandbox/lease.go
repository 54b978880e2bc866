package sandbox

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// Lease is exclusive use of one sandbox until Release.
type Lease struct {
	pool     *Pool
	fn       string
	sb       Sandbox
	acquired time.Time
	done     atomic.Bool
}

func newLease(p *Pool, fn string, sb Sandbox) *Lease {
	return &Lease{pool: p, fn: fn, sb: sb, acquired: time.Now()}
}

// Sandbox returns the leased sandbox.
func (l *Lease) Sandbox() Sandbox { return l.sb }

// Held reports how long the lease has been held.
func (l *Lease) Held() time.Duration { return time.Since(l.acquired) }

// Release hands the sandbox back. Unhealthy sandboxes are killed instead
// of being reused. Calling Release more than once is a no-op.
func (l *Lease) Release(healthy bool) {
	if !l.done.CompareAndSwap(false, true) {
		return
	}
	l.pool.release(l, healthy)
}

// Invoke runs payload on the leased sandbox and reports whether the
// sandbox can be reused afterwards.
func (l *Lease) Invoke(ctx context.Context, payload []byte) ([]byte, bool, error) {
	out, err := l.sb.Invoke(ctx, payload)
	switch {
	case err == nil:
		return out, true, nil
	case errors.Is(err, ErrDead), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return nil, false, err
	default:
		// A function-level error: the sandbox itself is fine.
		return nil, l.sb.Alive(), err
	}
}
