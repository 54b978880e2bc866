//go:build go1.21

// This file keeps the go1.21 build line it was written with; it is compiled
// with go1.21 loop semantics.

package jobs

import (
	"context"
	"log"
	"sync"
	"sync/atomic"
)

// WarmAll runs every warmer once, concurrently, and returns how many failed.
func WarmAll(ctx context.Context, warmers []Warmer, logger *log.Logger) int {
	var wg sync.WaitGroup
	var failed atomic.Int64
	started := 0
	for _, w := range warmers {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := w.Warm(ctx); err != nil {
				failed.Add(1)
				logger.Printf("warm %s: %v", w.Name(), err)
			}
		}()
		started++
	}
	logger.Printf("warming %d components", started)
	wg.Wait()
	return int(failed.Load())
}

// WarmEach is WarmAll for callers that need the individual errors.
func WarmEach(ctx context.Context, warmers []Warmer) []error {
	errs := make([]error, len(warmers))
	var wg sync.WaitGroup
	for i, w := range warmers {
		i, w := i, w
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.Warm(ctx)
		}()
	}
	wg.Wait()
	return errs
}

// WarmSequential warms in order, stopping at the first failure; each step
// gets its own deferred log line through a per-iteration function.
func WarmSequential(ctx context.Context, warmers []Warmer, logger *log.Logger) error {
	for i, w := range warmers {
		err := func(n int, w Warmer) error {
			defer logger.Printf("warm step %d (%s) finished", n, w.Name())
			return w.Warm(ctx)
		}(i, w)
		if err != nil {
			return err
		}
	}
	return nil
}
