//go:build go1.25

package closechan

import "sync"

// Goroutines of a WaitGroup started with wg.Go: the early return closes errc while the rest
// still send on it.
func scatter[T any](items []T, fn func(T) error) error {
	errc := make(chan error, len(items))
	defer close(errc) // want `defer close\(errc\) in scatter closes errc when scatter returns, but the goroutine started on line \d+ can still send on it`
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { errc <- fn(it) })
	}
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	wg.Wait()
	return nil
}

// The group's Wait runs before every return: the group marks each goroutine done itself.
func scatterAll[T any](items []T, fn func(T) error) []error {
	errc := make(chan error, len(items))
	defer close(errc)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { errc <- fn(it) })
	}
	wg.Wait()
	var errs []error
	for range items {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
