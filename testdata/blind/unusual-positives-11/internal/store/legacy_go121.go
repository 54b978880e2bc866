//go:build go1.21

// This file is still built with Go 1.21 semantics: its build constraint
// pins the language version, so loop variables are shared per loop.

package store

import (
	"errors"
	"log"
	"sync"
)

// FlushAll flushes every shard concurrently and logs which were started.
func FlushAll(shards []*Shard, logger *log.Logger) error {
	var wg sync.WaitGroup
	errs := make([]error, len(shards))
	started := make([]string, 0, len(shards))
	for i, sh := range shards {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = sh.Flush()
		}()
		started = append(started, sh.Name)
	}
	logger.Printf("flushing %v", started)
	wg.Wait()
	return errors.Join(errs...)
}

// FlushAllArgs is FlushAll with the loop variables passed as arguments,
// which is correct under the old semantics too.
func FlushAllArgs(shards []*Shard, logger *log.Logger) error {
	var wg sync.WaitGroup
	errs := make([]error, len(shards))
	for i, sh := range shards {
		wg.Add(1)
		go func(i int, sh *Shard) {
			defer wg.Done()
			errs[i] = sh.Flush()
		}(i, sh)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		logger.Printf("flush: %v", err)
		return err
	}
	return nil
}

// CompactAllShadowed compacts shards in parallel, copying the loop variable
// before the closure captures it.
func CompactAllShadowed(shards []*Shard, keyOf func([]byte) string) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, sh := range shards {
		sh := sh
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sh.Compact(keyOf); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ParallelMap applies fn to every element concurrently.
func ParallelMap[T, R any](in []T, fn func(T) R) []R {
	out := make([]R, len(in))
	var wg sync.WaitGroup
	launched := 0
	for i := 0; i < len(in); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			out[i] = fn(in[i])
		}()
		launched++
	}
	wg.Wait()
	return out[:launched]
}
