package ship

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"example.com/logship/internal/spool"
)

// Worker ships what accumulates in the spool.
type Worker struct {
	shipper  *Shipper
	spool    *spool.Spool
	agentID  string
	every    time.Duration
	parallel int
	logf     func(string, ...any)
}

// NewWorker returns a worker that drains sp every interval with up to
// parallel concurrent uploads.
func NewWorker(s *Shipper, sp *spool.Spool, agentID string, every time.Duration, parallel int) *Worker {
	if parallel < 1 {
		parallel = 1
	}
	return &Worker{shipper: s, spool: sp, agentID: agentID, every: every, parallel: parallel, logf: s.logf}
}

// Run ships chunks as they appear until ctx is cancelled, then deregisters
// the agent from the collector.
func (w *Worker) Run(ctx context.Context) error {
	defer w.shipper.deregister(w.agentID) // HAZ defer-blocking-call
	tick := time.NewTicker(w.every)
	defer tick.Stop()
	for {
		if err := w.drainOnce(ctx); err != nil && ctx.Err() == nil {
			w.logf("ship: drain: %v", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// drainOnce ships every spooled chunk, w.parallel at a time, and acks the
// ones that were delivered.
func (w *Worker) drainOnce(ctx context.Context) error {
	names, err := w.spool.List()
	if err != nil || len(names) == 0 {
		return err
	}
	type result struct {
		name string
		err  error
	}
	results := make(chan result, len(names))
	sem := make(chan struct{}, w.parallel)
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func(n string) {
			defer wg.Done()
			sem <- struct{}{}
			err := w.shipper.shipLogged(ctx, w.spool.Path(n))
			<-sem
			results <- result{name: n, err: err}
		}(n)
	}
	wg.Wait()
	close(results)
	var acked []string
	var errs []error
	for r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		acked = append(acked, r.name)
	}
	if err := w.spool.Ack(acked); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Preflight checks the collector and the spool before shipping starts.
func (w *Worker) Preflight(ctx context.Context) error {
	probe := make(chan error)
	go func() { probe <- w.shipper.Probe(ctx, 5*time.Second) }() // HAZ goroutine-blocked-send
	if _, _, err := w.spool.Usage(); err != nil {
		return fmt.Errorf("ship: spool not usable: %w", err)
	}
	return <-probe
}

// Check is Preflight done in order: spool first, then the collector.
func (w *Worker) Check(ctx context.Context) error {
	if _, err := w.spool.Oldest(); err != nil {
		return fmt.Errorf("ship: spool not usable: %w", err)
	}
	probe := make(chan error, 1)
	go func() {
		select {
		case probe <- w.shipper.ping(ctx):
		case <-ctx.Done():
		}
	}()
	select {
	case err := <-probe:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ShipNow ships the named chunks concurrently, bypassing the ticker; used
// by the admin API after an outage.
func (w *Worker) ShipNow(ctx context.Context, names []string) error {
	errc := make(chan error, len(names))
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errc <- w.shipper.shipLogged(ctx, w.spool.Path(n))
		}()
		w.logf("ship: queued %s", n)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Burst ships the current backlog with n parallel uploaders.
func (w *Worker) Burst(ctx context.Context, n int) error {
	names, err := w.spool.List()
	if err != nil {
		return err
	}
	jobs := make(chan string)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range jobs {
				if err := w.shipper.shipLogged(ctx, w.spool.Path(name)); err != nil {
					w.logf("ship: burst: %v", err)
				}
			}
		}()
	}
	for _, name := range names {
		select {
		case jobs <- name:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	close(jobs)
	return nil
}

// drainGuarded is drainOnce for the admin API: a panic becomes an error,
// and progress is logged while the drain runs.
func (w *Worker) drainGuarded(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ship: drain panicked: %v", r)
		}
	}()
	done := make(chan struct{})
	defer close(done)
	go w.logProgress(done) // HAZ goroutine-outside-recover
	return w.drainOnce(ctx)
}

// logProgress logs the spool size every 10s until done is closed.
func (w *Worker) logProgress(done <-chan struct{}) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			if names, err := w.spool.List(); err == nil {
				w.logf("ship: %d chunks left", len(names))
			}
		}
	}
}

// DrainNow runs one guarded drain.
func (w *Worker) DrainNow(ctx context.Context) error {
	return w.drainGuarded(ctx)
}
