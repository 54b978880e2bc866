package health

import (
	"context"
	"errors"
	"sync"
	"time"

	"example.com/fah26/internal/backend"
)

// Result is the outcome of one probe in a sweep.
type Result struct {
	Backend string
	Err     error
	Took    time.Duration
}

// Sweep probes every backend concurrently and streams the results. The
// channel is closed by the goroutine that owns the senders, after they have
// all finished. Callers must drain it or cancel ctx.
func (c *Checker) Sweep(ctx context.Context) <-chan Result {
	out := make(chan Result)
	go func() {
		defer close(out)
		var wg sync.WaitGroup
		for _, b := range c.pool.Snapshot() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				pctx, cancel := context.WithTimeout(ctx, c.timeout)
				defer cancel()
				err := c.prober.Probe(pctx, b)
				select {
				case out <- Result{Backend: b.Name, Err: err, Took: time.Since(start)}:
				case <-ctx.Done():
				}
			}()
		}
		wg.Wait()
	}()
	return out
}

// Collect runs a sweep and gathers the results in a slice.
func (c *Checker) Collect(ctx context.Context) []Result {
	var rs []Result
	for r := range c.Sweep(ctx) {
		rs = append(rs, r)
	}
	return rs
}

// FirstReachable dials every backend at once and returns the first one that
// accepts a connection.
func FirstReachable(ctx context.Context, bs []*backend.Backend, timeout time.Duration) (*backend.Backend, error) {
	if len(bs) == 0 {
		return nil, backend.ErrNoBackends
	}
	type result struct {
		b   *backend.Backend
		err error
	}
	results := make(chan result, len(bs))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, b := range bs {
		go func() {
			conn, err := b.Dial(timeout)
			if err == nil {
				conn.Close()
			}
			results <- result{b: b, err: err}
		}()
	}
	var errs []error
	for range bs {
		select {
		case r := <-results:
			if r.err == nil {
				return r.b, nil
			}
			errs = append(errs, r.err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}

// AllReachable dials every backend at once and reports each failure. The
// results channel has room for every sender and is drained completely, so
// no goroutine outlives the call.
func AllReachable(bs []*backend.Backend, timeout time.Duration) map[string]error {
	type result struct {
		name string
		err  error
	}
	results := make(chan result, len(bs))
	for _, b := range bs {
		go func() {
			conn, err := b.Dial(timeout)
			if err == nil {
				err = conn.Close()
			}
			results <- result{name: b.Name, err: err}
		}()
	}
	failed := make(map[string]error)
	for range bs {
		if r := <-results; r.err != nil {
			failed[r.name] = r.err
		}
	}
	return failed
}
