//go:build go1.21

// Kept at the go1.21 language version: the flush helpers are vendored by
// the edge agents, whose toolchain is older.

package sink

import (
	"context"
	"errors"
	"log"
	"sync"
)

// Flusher is anything with buffered output.
type Flusher interface {
	Flush() error
}

// FlushAll flushes every flusher concurrently, stopping to start new
// flushes once ctx ends.
func FlushAll(ctx context.Context, fs []Flusher) error {
	var wg sync.WaitGroup
	errs := make([]error, len(fs))
	for i, f := range fs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = f.Flush()
		}()
		if ctx.Err() != nil {
			break
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// FlushEach flushes the flushers one by one and logs each result; the
// deferred log runs at the end of its own iteration.
func FlushEach(fs []Flusher, logger *log.Logger) error {
	var errs []error
	for i, f := range fs {
		func() {
			defer func() { logger.Printf("flushed %d/%d", i+1, len(fs)) }()
			if err := f.Flush(); err != nil {
				errs = append(errs, err)
			}
		}()
	}
	return errors.Join(errs...)
}

// FlushConcurrently flushes every flusher in its own goroutine, passing
// the loop values as arguments.
func FlushConcurrently(fs []Flusher) error {
	var wg sync.WaitGroup
	errs := make([]error, len(fs))
	for i, f := range fs {
		wg.Add(1)
		go func(i int, f Flusher) {
			defer wg.Done()
			errs[i] = f.Flush()
		}(i, f)
	}
	wg.Wait()
	return errors.Join(errs...)
}
