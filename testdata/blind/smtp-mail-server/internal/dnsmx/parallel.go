//go:build go1.22

// This file relies on per-iteration loop variables, hence the build
// constraint; parallel_go121.go is the fallback for older toolchains.

package dnsmx

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Prefetch warms the cache for domains with at most parallel lookups in
// flight and returns the number of failures.
func (r *Resolver) Prefetch(ctx context.Context, domains []string, parallel int) int {
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	var failed atomic.Int32
	for _, d := range domains {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.LookupMX(ctx, d); err != nil {
				failed.Add(1)
			}
			<-sem
		}()
	}
	wg.Wait()
	return int(failed.Load())
}

// HedgedLookup starts another lookup of domain every hedge interval, up to
// max attempts, and returns the first answer together with the attempt
// number that produced it (exported as a metric: how often hedging helps).
func (r *Resolver) HedgedLookup(ctx context.Context, domain string, hedge time.Duration, max int) ([]string, int, error) {
	type answer struct {
		hosts   []string
		attempt int
		err     error
	}
	answers := make(chan answer, max)
	t := time.NewTicker(hedge)
	defer t.Stop()
	var attempt int
	for attempt = 1; attempt <= max; attempt++ {
		go func() { hosts, err := r.lookupOnce(ctx, domain); answers <- answer{hosts, attempt, err} }() // HAZ loop-var-capture
		select {
		case a := <-answers:
			return a.hosts, a.attempt, a.err
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-t.C:
		}
	}
	a := <-answers
	return a.hosts, a.attempt, a.err
}
