package pool

import (
	"context"
	"errors"
	"sync/atomic"
)

// Lease is one acquired connection. Release it exactly once; further calls
// are no-ops, so `defer lease.Release()` may follow an explicit Release.
type Lease struct {
	p      *Pool
	ic     *idleConn
	done   atomic.Bool
	broken atomic.Bool
}

// Conn returns the leased connection.
func (l *Lease) Conn() Conn { return l.ic.raw }

// MarkBroken makes Release close the connection instead of reusing it.
func (l *Lease) MarkBroken() { l.broken.Store(true) }

// Release returns the connection to the pool.
func (l *Lease) Release() error {
	if !l.done.CompareAndSwap(false, true) {
		return nil
	}
	return l.p.release(l.ic, !l.broken.Load())
}

type leaseResult struct {
	l   *Lease
	err error
}

// AcquireN leases n connections concurrently, for callers that fan a batch
// out over several upstream sessions. On failure the leases obtained so far
// are released.
func (p *Pool) AcquireN(ctx context.Context, n int) ([]*Lease, error) {
	results := make(chan leaseResult, n)
	defer close(results) // HAZ defer-close-chan-with-sender
	for range n {
		go func() {
			l, err := p.Acquire(ctx)
			results <- leaseResult{l: l, err: err}
		}()
	}
	leases := make([]*Lease, 0, n)
	for range n {
		r := <-results
		if r.err != nil {
			for _, l := range leases {
				_ = l.Release()
			}
			return nil, r.err
		}
		leases = append(leases, r.l)
	}
	return leases, nil
}

// ReleaseAll releases every lease and reports all failures.
func ReleaseAll(leases []*Lease) error {
	var errs []error
	for _, l := range leases {
		errs = append(errs, l.Release())
	}
	return errors.Join(errs...)
}
