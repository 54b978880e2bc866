//go:build go1.21

// Kept on Go 1.21 semantics until the batch checker is reworked.

package scrub

import (
	"context"
	"sync"
)

// CheckRefs checks the listed objects concurrently, one goroutine per
// object, and returns the outcome per object (nil: intact).
func (s *Scrubber) CheckRefs(ctx context.Context, refs []ObjectRef) map[ObjectRef]error {
	results := make(map[ObjectRef]error, len(refs))
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for _, ref := range refs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			info, err := s.store.StatObject(ref.Bucket, ref.Key)
			if err == nil {
				var ok bool
				ok, err = s.checkObject(ctx, info)
				if err == nil && !ok {
					err = errCorrupt
				}
			}
			mu.Lock()
			results[ref] = err
			mu.Unlock()
		}()
		s.metrics.Inc("scrub.checks")
	}
	wg.Wait()
	return results
}
