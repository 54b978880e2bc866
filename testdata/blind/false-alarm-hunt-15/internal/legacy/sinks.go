//go:build go1.21

// Package legacy keeps the v1 sink fan-out, still built with go1.21
// semantics for the old deployment targets.
package legacy

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Sink receives flushed batches.
type Sink interface {
	Name() string
	Flush(ctx context.Context) error
}

// FlushAll flushes every sink concurrently and waits for them.
func FlushAll(ctx context.Context, sinks []Sink) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		errs     []error
		launched int
	)
	for _, s := range sinks {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := s.Flush(ctx); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
		launched++
	}
	if launched == 0 {
		return nil
	}
	wg.Wait()
	return errors.Join(errs...)
}

// FlushAllArgs is FlushAll passing the sink as an argument.
func FlushAllArgs(ctx context.Context, sinks []Sink) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, s := range sinks {
		wg.Add(1)
		go func(s Sink) {
			defer wg.Done()
			if err := s.Flush(ctx); err != nil {
				mu.Lock()
				defer mu.Unlock()
				errs = append(errs, err)
			}
		}(s)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// FlushEach flushes sinks in order with a shadowed copy per iteration.
func FlushEach(ctx context.Context, sinks []Sink, timeout time.Duration) map[string]error {
	results := make(map[string]error, len(sinks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, s := range sinks {
		s := s
		wg.Add(1)
		go func() {
			defer wg.Done()
			fctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			err := s.Flush(fctx)
			mu.Lock()
			results[s.Name()] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	return results
}
