//go:build !go1.22

package dnsmx

import (
	"context"
	"sync"
	"sync/atomic"
)

// Prefetch warms the cache for domains with at most parallel lookups in
// flight and returns the number of failures.
func (r *Resolver) Prefetch(ctx context.Context, domains []string, parallel int) int {
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	var failed atomic.Int32
	for _, d := range domains {
		d := d
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
