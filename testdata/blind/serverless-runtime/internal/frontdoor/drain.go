package frontdoor

import (
	"context"
	"log"
	"net/http"
	"time"

	"example.com/faas/internal/metrics"
	"example.com/faas/internal/sandbox"
)

// Drainer performs the SIGTERM sequence: stop accepting, wait for
// in-flight requests, kill the warm pool.
type Drainer struct {
	s     *Server
	srv   *http.Server
	pool  *sandbox.Pool
	agg   *metrics.Aggregator
	grace time.Duration
	log   *log.Logger

	onDone func()
}

// NewDrainer returns a drainer for s served by srv.
func NewDrainer(s *Server, srv *http.Server, pool *sandbox.Pool, agg *metrics.Aggregator, grace time.Duration) *Drainer {
	return &Drainer{s: s, srv: srv, pool: pool, agg: agg, grace: grace, log: s.log}
}

// Drain runs the shutdown sequence within the grace period and logs the
// final metrics.
func (d *Drainer) Drain(ctx context.Context) error {
	defer d.agg.Snapshot().Log(d.log) // HAZ defer-call-chain
	d.s.draining.Store(true)
	ctx, cancel := context.WithTimeout(ctx, d.grace)
	defer cancel()
	if err := d.srv.Shutdown(ctx); err != nil {
		d.log.Printf("drain: http shutdown: %v", err)
	}
	err := d.waitInflight(ctx)
	d.pool.Close()
	return err
}

// waitInflight waits for in-flight requests or ctx.
func (d *Drainer) waitInflight(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		d.s.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// DrainAndReport is Drain for the admin endpoint: it reports the final
// snapshot taken after the pool is gone.
func (d *Drainer) DrainAndReport(ctx context.Context) (metrics.Snapshot, error) {
	err := d.Drain(ctx)
	return d.agg.Snapshot(), err
}

// OnDone registers f to run after DrainAndNotify finishes.
func (d *Drainer) OnDone(f func()) { d.onDone = f }

// DrainAndNotify drains and then runs the OnDone callback.
func (d *Drainer) DrainAndNotify(ctx context.Context) error {
	defer d.onDone() // HAZ defer-nil-func
	return d.Drain(ctx)
}
