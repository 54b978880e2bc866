//go:build go1.21

package wal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
)

// verifySegment checks every record checksum of one segment.
func verifySegment(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only
	r := bufio.NewReader(f)
	for n := 0; ; n++ {
		_, err := readRecord(r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: record %d: %w", path, n, err)
		}
	}
}

// VerifyAll checks the given segments concurrently and reports every
// corrupt one.
func VerifyAll(dir string, ids []uint64) (checked int, err error) {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, id := range ids {
		if id == 0 {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := verifySegment(segmentPath(dir, id)); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
		checked++
	}
	wg.Wait()
	return checked, errors.Join(errs...)
}

// VerifySorted verifies ids in ascending order, at most parallel at a time.
func VerifySorted(dir string, ids []uint64, parallel int) error {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	parallel = max(parallel, 1)
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for start := 0; start < len(ids); start += parallel {
		end := min(start+parallel, len(ids))
		for i := start; i < end; i++ {
			wg.Add(1)
			go func(i int, id uint64) { // ok: values passed as arguments
				defer wg.Done()
				errs[i] = verifySegment(segmentPath(dir, id))
			}(i, ids[i])
		}
		wg.Wait()
	}
	return errors.Join(errs...)
}

// VerifyEach verifies segments concurrently and calls report for each one.
// report must be safe for concurrent use.
func VerifyEach(dir string, ids []uint64, report func(id uint64, err error)) {
	var wg sync.WaitGroup
	for _, id := range ids {
		id := id // ok: per-iteration copy
		wg.Add(1)
		go func() {
			defer wg.Done()
			report(id, verifySegment(segmentPath(dir, id)))
		}()
	}
	wg.Wait()
}
