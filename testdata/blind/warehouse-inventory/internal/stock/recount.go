//go:build go1.21

// This file came over from the old inventory monolith and is pinned to Go
// 1.21 semantics with the build constraint above, so nothing in it changed
// behaviour when the module moved to Go 1.22.

package stock

import (
	"errors"
	"sync"
	"time"
)

// recountStagger spaces out recount starts so the scanner gateway that the
// recount callbacks talk to is not hit by every warehouse at once.
const recountStagger = 20 * time.Millisecond

// RecountAll runs fn for every warehouse concurrently and joins the errors.
func (s *Store) RecountAll(fn func(*Warehouse) error) error {
	list := s.list()
	errs := make([]error, len(list))
	var wg sync.WaitGroup
	for i, w := range list {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = fn(w) }() // HAZ loop-var-capture
		time.Sleep(recountStagger)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RecountSKUs runs fn for every low-stock SKU of w concurrently.
func RecountSKUs(w *Warehouse, fn func(*Warehouse, SKU) error) error {
	skus := w.LowStock()
	errc := make(chan error, len(skus))
	var wg sync.WaitGroup
	for _, sku := range skus {
		wg.Add(1)
		go func() { defer wg.Done(); errc <- fn(w, sku) }() // HAZ loop-var-capture
		time.Sleep(recountStagger)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// RecountEach runs fn for every warehouse concurrently. The loop variables
// are passed as arguments, so each goroutine gets its own copy even under
// the file's Go 1.21 semantics.
func (s *Store) RecountEach(fn func(*Warehouse) error) []error {
	list := s.list()
	errs := make([]error, len(list))
	var wg sync.WaitGroup
	for i, w := range list {
		wg.Add(1)
		go func(i int, w *Warehouse) {
			defer wg.Done()
			errs[i] = fn(w)
		}(i, w)
		time.Sleep(recountStagger)
	}
	wg.Wait()
	return errs
}
