package pipeline

import (
	"context"
	"errors"
	"sync"
)

// ErrNoLease is returned by strict workers when the pool is exhausted.
var ErrNoLease = errors.New("pipeline: no lease available")

// LeasePool hands out a fixed number of numbered leases.
type LeasePool struct {
	mu   sync.Mutex
	free []int
}

// NewLeasePool returns a pool of n leases.
func NewLeasePool(n int) *LeasePool {
	p := &LeasePool{}
	for i := n - 1; i >= 0; i-- {
		p.free = append(p.free, i)
	}
	return p
}

// Lease is one unit of the pool's capacity.
type Lease struct {
	pool *LeasePool
	id   int
}

// Get takes a lease, or returns nil when none is free.
func (p *LeasePool) Get() *Lease {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) == 0 {
		return nil
	}
	id := p.free[len(p.free)-1]
	p.free = p.free[:len(p.free)-1]
	return &Lease{pool: p, id: id}
}

// Return gives the lease back to its pool.
func (l *Lease) Return() {
	l.pool.mu.Lock()
	l.pool.free = append(l.pool.free, l.id)
	l.pool.mu.Unlock()
}

// Worker flushes items through a stage while holding a lease.
type Worker struct {
	pool   *LeasePool
	stage  *Stage
	strict bool
	// release is the Return method value of the lease held by Process.
	release func()
}

// NewWorker returns a worker drawing leases from pool. A strict worker
// refuses to run without one.
func NewWorker(pool *LeasePool, stage *Stage, strict bool) *Worker {
	return &Worker{pool: pool, stage: stage, strict: strict}
}

// Process flushes items through the worker's stage under a lease.
func (w *Worker) Process(ctx context.Context, items []Item) (int, error) {
	if l := w.pool.Get(); l != nil {
		w.release = l.Return
	} else if w.strict {
		return 0, ErrNoLease
	}
	defer w.release() // HAZ defer-nil-func
	return w.stage.Flush(ctx, items)
}

// ProcessLeased is Process for callers that must not run unleased.
func (w *Worker) ProcessLeased(ctx context.Context, items []Item) (int, error) {
	l := w.pool.Get()
	if l == nil {
		return 0, ErrNoLease
	}
	release := l.Return
	defer release()
	return w.stage.Flush(ctx, items)
}
