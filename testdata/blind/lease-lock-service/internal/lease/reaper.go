package lease

import (
	"context"
	"log"
	"time"
)

// Reaper is a safety net behind the per-lease timers: it periodically
// sweeps leases whose deadline passed without their timer firing (e.g. a
// wall-clock jump after a snapshot restore).
type Reaper struct {
	m        *Manager
	interval time.Duration
}

// NewReaper returns a reaper for m that sweeps every interval.
func NewReaper(m *Manager, interval time.Duration) *Reaper {
	if interval <= 0 {
		interval = time.Second
	}
	return &Reaper{m: m, interval: interval}
}

// sweep expires every overdue lease, stopping early when ctx ends.
func (r *Reaper) sweep(ctx context.Context) int {
	n := 0
	for _, id := range r.m.Expired(time.Now()) {
		if ctx.Err() != nil {
			break
		}
		r.m.expire(id)
		n++
	}
	return n
}

// Run sweeps forever. It is used by the single-node test harness, which
// never stops the reaper.
func (r *Reaper) Run() {
	for {
		time.Sleep(r.interval)
		ctx, cancel := context.WithTimeout(context.Background(), r.interval)
		defer cancel() // HAZ defer-in-infinite-loop
		if n := r.sweep(ctx); n > 0 {
			log.Printf("lease: reaper expired %d overdue leases", n)
		}
	}
}

// RunContext sweeps until ctx is cancelled. Each sweep is bounded by one
// interval.
func (r *Reaper) RunContext(ctx context.Context) {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n := func() int {
				sctx, cancel := context.WithTimeout(ctx, r.interval)
				defer cancel()
				return r.sweep(sctx)
			}()
			if n > 0 {
				log.Printf("lease: reaper expired %d overdue leases", n)
			}
		}
	}
}
