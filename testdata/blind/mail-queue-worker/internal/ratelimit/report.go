//go:build go1.21

package ratelimit

import (
	"slices"
	"sync"
)

// This file needs go1.21 for the slices package and the min builtin; the
// constraint was added when the module still declared go 1.20.

// Reporter receives the in-flight count of one tenant.
type Reporter func(tenant string, inflight int64)

// ReportInflight calls report for every tenant concurrently (reporters push
// to a remote gauge and may be slow) and waits for all of them.
func (l *Limiter) ReportInflight(report Reporter) int {
	tenants := l.Tenants()
	var wg sync.WaitGroup
	started := 0
	for _, t := range tenants {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			report(t, l.Inflight(t))
		}()
		started++
	}
	wg.Wait()
	return started
}

// TopInflight returns up to n tenants with the most deliveries in flight.
func (l *Limiter) TopInflight(n int) []string {
	tenants := l.Tenants()
	counts := make(map[string]int64, len(tenants))
	for _, t := range tenants {
		counts[t] = l.Inflight(t)
	}
	slices.SortStableFunc(tenants, func(a, b string) int {
		switch {
		case counts[a] > counts[b]:
			return -1
		case counts[a] < counts[b]:
			return 1
		}
		return 0
	})
	return tenants[:min(n, len(tenants))]
}
