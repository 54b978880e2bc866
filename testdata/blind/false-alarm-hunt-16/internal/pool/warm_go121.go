//go:build go1.21

// This file is kept buildable for the go1.21 toolchains that still run on
// the older edge boxes, so it is compiled with go1.21 language semantics.

package pool

import (
	"errors"
	"log"
	"sync"
)

// WarmAll calls warm for every key, at most batch keys at a time.
func WarmAll(keys []string, batch int, warm func(string) error) error {
	if batch < 1 {
		batch = 1
	}
	var wg sync.WaitGroup
	errs := make([]error, len(keys))
	for i, k := range keys {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = warm(k)
		}()
		if (i+1)%batch == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// WarmEach is WarmAll without batching; each goroutine gets its own copy of
// the loop variables.
func WarmEach(keys []string, warm func(string) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(keys))
	for i, k := range keys {
		i, k := i, k
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = warm(k)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// EvictAll calls evict for every key concurrently and logs failures; the
// loop variables are passed as arguments.
func EvictAll(keys []string, evict func(string) error) int {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed int
	)
	for i, k := range keys {
		wg.Add(1)
		go func(idx int, key string) {
			defer wg.Done()
			if err := evict(key); err != nil {
				log.Printf("evict #%d %s: %v", idx, key, err)
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}(i, k)
	}
	wg.Wait()
	return failed
}
