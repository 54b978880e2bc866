//go:build go1.22

package usage

import (
	"context"
	"sync"
)

// SendAll sends b to every sink concurrently and waits for all of them.
// This file is built with Go 1.22 semantics: each iteration has its own
// i and sink.
func SendAll(ctx context.Context, sinks []Sink, b Batch) []error {
	errs := make([]error, len(sinks))
	var wg sync.WaitGroup
	for i, sink := range sinks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = safeSend(ctx, sink, b)
		}()
	}
	wg.Wait()
	return errs
}
