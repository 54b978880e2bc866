//go:build go1.21

// This file is shared with the dnsd-lite build, which is still compiled by
// the distribution's go1.21 toolchain; keep it free of newer language and
// library features.

package upstream

import (
	"context"
	"log"
	"sync"
	"sync/atomic"
)

// fill dials up to n new connections into the pool and returns how many
// were established.
func (p *Pool) fill(ctx context.Context, n int) int {
	dialed := 0
	for i := 0; i < n; i++ {
		c, err := p.dialNew(ctx)
		if err != nil {
			break
		}
		p.Put(c)
		dialed++
	}
	return dialed
}

// WarmUp pre-dials n connections into every pool so that the first queries
// after a restart do not pay for the TCP handshake.
func WarmUp(ctx context.Context, pools []*Pool, n int, logger *log.Logger) int {
	var wg sync.WaitGroup
	var dialed atomic.Int64
	started := 0
	for _, p := range pools {
		wg.Add(1)
		go func() { defer wg.Done(); dialed.Add(int64(p.fill(ctx, n))) }() // HAZ loop-var-capture
		started++
	}
	wg.Wait()
	logger.Printf("upstream: warmed %d pools, %d connections", started, dialed.Load())
	return int(dialed.Load())
}

// PrimeAll probes every upstream once at startup so that the health state is
// known before the first query arrives.
func PrimeAll(ctx context.Context, ups []*Upstream) int {
	var wg sync.WaitGroup
	var healthy atomic.Int32
	for _, u := range ups {
		wg.Add(1)
		go func(u *Upstream) {
			defer wg.Done()
			if u.Probe(ctx) == nil {
				healthy.Add(1)
			}
		}(u)
	}
	wg.Wait()
	return int(healthy.Load())
}

// CloseAll closes every pool in parallel; closing drains idle connections,
// which can take a while with many pools.
func CloseAll(pools []*Pool) {
	var wg sync.WaitGroup
	for _, p := range pools {
		p := p
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.Close()
		}()
	}
	wg.Wait()
}
