package ingest

import (
	"errors"
	"sync"

	"example.com/fah16/internal/safe"
)

// IngestParallel ships paths concurrently and returns the total number of
// lines. A panic while preparing the batch becomes an error.
func (in *Ingester) IngestParallel(paths []string) (total int, err error) {
	defer safe.Recover(&err)
	counts := make([]int, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			counts[i], errs[i] = in.ship(p)
		}()
	}
	wg.Wait()
	for _, n := range counts {
		total += n
	}
	return total, errors.Join(errs...)
}

// IngestConcurrently is IngestParallel where every goroutine converts its
// own panics into its error slot.
func (in *Ingester) IngestConcurrently(paths []string) (total int, err error) {
	defer safe.Recover(&err)
	counts := make([]int, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer safe.Recover(&errs[i])
			counts[i], errs[i] = in.ship(p)
		}()
	}
	wg.Wait()
	for _, n := range counts {
		total += n
	}
	return total, errors.Join(errs...)
}
