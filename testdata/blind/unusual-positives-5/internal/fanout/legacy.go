//go:build go1.21

// This file keeps the pre-1.22 per-loop variable semantics on purpose: it is
// shared with an older branch that still builds with Go 1.21.

package fanout

import (
	"errors"
	"sync"
	"sync/atomic"
)

var launched atomic.Int64

// WarmAll calls fn once per key, concurrently, and joins the errors.
func WarmAll(keys []string, fn func(string) error) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(keys))
	for _, k := range keys {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errc <- fn(k)
		}()
		launched.Add(1)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// WarmAllArgs passes the key as an argument, so each goroutine has its own.
func WarmAllArgs(keys []string, fn func(string) error) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(keys))
	for _, k := range keys {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			errc <- fn(k)
		}(k)
		launched.Add(1)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// WarmIndexed copies the loop variables before capturing them.
func WarmIndexed(keys []string, fn func(int, string) error) []error {
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		i, k := i, k
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(i, k)
		}()
		launched.Add(1)
	}
	wg.Wait()
	return errs
}
