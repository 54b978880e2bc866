//go:build go1.22

package sampling

import (
	"context"
	"errors"
	"sync"

	"example.com/otelcol/internal/pdata"
)

// ConsumeParallel samples and forwards large batches in shards. This file
// needs go1.22 (range over int, per-iteration loop variables).
func (s *Sampler) ConsumeParallel(ctx context.Context, b pdata.Batch, shards int) error {
	parts := pdata.Split(b, shards)
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Consume(ctx, part)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Histogram draws n decisions and counts them per decile of the RNG, to
// check the RNG on the debug page.
func (s *Sampler) Histogram(n int) [10]int {
	var h [10]int
	for range n {
		s.mu.Lock()
		v := s.rng.Float64()
		s.mu.Unlock()
		h[int(v*10)]++
	}
	return h
}

// Calibrate runs each probe batch through the policies concurrently and
// reports how many probes were started before ctx ended, and how many
// records each kept.
func (s *Sampler) Calibrate(ctx context.Context, probes []pdata.Batch) (int, []int) {
	kept := make([]int, len(probes))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(probes) && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			for _, r := range probes[i].Records {
				if s.keep(r) {
					kept[i]++
				}
			}
		}()
	}
	wg.Wait()
	return i, kept
}

// Deciles spreads the keep decisions of one batch over ten buckets by
// trace hash, one goroutine per bucket.
func (s *Sampler) Deciles(b pdata.Batch) [10]int {
	var out [10]int
	rate := s.currentRate()
	var wg sync.WaitGroup
	for d := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j, r := range b.Records {
				if j%10 == d && keepTrace(r.TraceID, rate) {
					out[d]++
				}
			}
		}()
	}
	wg.Wait()
	return out
}
