//go:build go1.18

// Seed bootstrap helpers. This file still carries the go1.18 constraint it
// got during the generics rollout, when the module supported older releases.

package peer

import (
	"context"
	"net"
	"sort"
	"sync"
	"sync/atomic"
)

var probesStarted atomic.Int64

// uniq returns xs without duplicates, preserving first occurrence order.
func uniq[T comparable](xs []T) []T {
	seen := make(map[T]struct{}, len(xs))
	out := xs[:0:0]
	for _, x := range xs {
		if _, ok := seen[x]; ok {
			continue
		}
		seen[x] = struct{}{}
		out = append(out, x)
	}
	return out
}

// ProbeSeeds probes the bootstrap seeds concurrently and returns up to want
// reachable ones, sorted.
func ProbeSeeds(ctx context.Context, seeds []string, want int, probe func(context.Context, string) error) []string {
	seeds = uniq(seeds)
	var (
		mu sync.Mutex
		wg sync.WaitGroup
		up []string
	)
	for _, s := range seeds {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if probe(ctx, s) != nil {
				return
			}
			mu.Lock()
			if len(up) < want {
				up = append(up, s)
			}
			mu.Unlock()
		}()
		probesStarted.Add(1)
	}
	wg.Wait()
	sort.Strings(up)
	return up
}

// ResolveSeeds looks up every seed's host concurrently. The seed is handed
// to each goroutine as an argument.
func ResolveSeeds(ctx context.Context, r *net.Resolver, seeds []string) map[string][]string {
	out := make(map[string][]string, len(seeds))
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for _, s := range uniq(seeds) {
		wg.Add(1)
		go func(seed string) {
			defer wg.Done()
			host, _, err := net.SplitHostPort(seed)
			if err != nil {
				host = seed
			}
			addrs, err := r.LookupHost(ctx, host)
			if err != nil {
				return
			}
			mu.Lock()
			out[seed] = addrs
			mu.Unlock()
		}(s)
	}
	wg.Wait()
	return out
}
