//go:build go1.21

// The sweep helpers predate the move to Go 1.22 and are still built with the
// go1.21 language version so that the vendored copy in the batch repo stays
// identical.

package recon

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
)

// sweepAccounts re-checks ids concurrently and counts mismatches.
func (r *Reconciler) sweepAccounts(ctx context.Context, ids []string) int {
	var wg sync.WaitGroup
	var mismatches atomic.Int64
	for _, id := range ids {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			d, err := r.check(ctx, id)
			if err != nil {
				r.log.Printf("sweep: %s: %v", id, err)
				return
			}
			if d.Delta() != 0 {
				mismatches.Add(1)
			}
		}()
		r.metrics.Inc("recon.sweep.started")
	}
	wg.Wait()
	return int(mismatches.Load())
}

// sweepShards checks each shard of account ids in its own goroutine.
func (r *Reconciler) sweepShards(ctx context.Context, shards [][]string) []Diff {
	results := make([][]Diff, len(shards))
	var wg sync.WaitGroup
	for i := 0; i < len(shards); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			for _, id := range shards[i] {
				d, err := r.check(ctx, id)
				if err == nil && d.Delta() != 0 {
					results[i] = append(results[i], d)
				}
			}
		}()
		r.log.Printf("sweep: shard %d started", i)
	}
	wg.Wait()
	var out []Diff
	for _, ds := range results {
		out = append(out, ds...)
	}
	return out
}

// sweepCopies is sweepAccounts with the per-iteration copy that pre-1.22
// loops need.
func (r *Reconciler) sweepCopies(ctx context.Context, ids []string) []Diff {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []Diff
	)
	for _, id := range ids {
		id := id // ok: per-iteration copy
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := r.check(ctx, id)
			if err != nil || d.Delta() == 0 {
				return
			}
			mu.Lock()
			out = append(out, d)
			mu.Unlock()
		}()
		r.metrics.Inc("recon.sweep.started")
	}
	wg.Wait()
	sort.Slice(out, func(i, j int) bool { return out[i].Account < out[j].Account })
	return out
}

// sweepIndexed passes the shard index as an argument.
func (r *Reconciler) sweepIndexed(ctx context.Context, shards [][]string) [][]Diff {
	results := make([][]Diff, len(shards))
	var wg sync.WaitGroup
	for i := 0; i < len(shards); i++ {
		wg.Add(1)
		go func(i int) { // ok: passed by value
			defer wg.Done()
			for _, id := range shards[i] {
				if d, err := r.check(ctx, id); err == nil && d.Delta() != 0 {
					results[i] = append(results[i], d)
				}
			}
		}(i)
		r.log.Printf("sweep: shard %d started", i)
	}
	wg.Wait()
	return results
}

// Sweep re-checks ids and returns the mismatches; large inputs are sharded.
func (r *Reconciler) Sweep(ctx context.Context, ids []string) []Diff {
	if len(ids) <= 64 {
		if r.sweepAccounts(ctx, ids) == 0 {
			return nil
		}
		return r.sweepCopies(ctx, ids)
	}
	var shards [][]string
	for len(ids) > 0 {
		n := min(64, len(ids))
		shards = append(shards, ids[:n])
		ids = ids[n:]
	}
	if len(shards) > 8 {
		var out []Diff
		for _, ds := range r.sweepIndexed(ctx, shards) {
			out = append(out, ds...)
		}
		return out
	}
	return r.sweepShards(ctx, shards)
}
