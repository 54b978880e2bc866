//go:build go1.21

package probe

import (
	"context"
	"sync"
)

// CheckAll checks every target with one goroutine each and returns the
// results in target order.
func (p *Prober) CheckAll(ctx context.Context, targets []string) []Result {
	results := make([]Result, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			results[i] = p.check(ctx, t)
		}()
		p.started.Add(1)
	}
	wg.Wait()
	return results
}

// CheckAllArgs is CheckAll with the loop variables passed as arguments, which
// is correct under any language version.
func (p *Prober) CheckAllArgs(ctx context.Context, targets []string) []Result {
	results := make([]Result, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func(i int, t string) {
			defer wg.Done()
			results[i] = p.check(ctx, t)
		}(i, t)
		p.started.Add(1)
	}
	wg.Wait()
	return results
}
