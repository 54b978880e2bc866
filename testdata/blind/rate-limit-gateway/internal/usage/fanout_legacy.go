//go:build !go1.22

package usage

import (
	"context"
	"sync"
)

// SendAll sends b to every sink concurrently and waits for all of them.
// Before Go 1.22 the loop variables are shared, so they are passed in.
func SendAll(ctx context.Context, sinks []Sink, b Batch) []error {
	errs := make([]error, len(sinks))
	var wg sync.WaitGroup
	for i, sink := range sinks {
		wg.Add(1)
		go func(i int, sink Sink) {
			defer wg.Done()
			errs[i] = safeSend(ctx, sink, b)
		}(i, sink)
	}
	wg.Wait()
	return errs
}
