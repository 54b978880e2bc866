//go:build go1.21

package parallel

import (
	"errors"
	"fmt"
	"sync"

	"example.com/etl/fsutil"
)

// ChecksumFiles hashes paths concurrently, batch files at a time.
func ChecksumFiles(paths []string, batch int) (map[string]string, error) {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		sums = make(map[string]string, len(paths))
		errs []error
	)
	if batch < 1 {
		batch = 1
	}
	for i, p := range paths {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			sum, err := fsutil.FileSHA256(p)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			sums[p] = sum
		}()
		if (i+1)%batch == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
	return sums, errors.Join(errs...)
}

// ChecksumFilesArg is ChecksumFiles with the path passed to the goroutine.
func ChecksumFilesArg(paths []string) (map[string]string, error) {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		sums = make(map[string]string, len(paths))
		errs []error
	)
	for _, p := range paths {
		wg.Add(1)
		go func(p string) { // ok: p is a parameter
			defer wg.Done()
			sum, err := fsutil.FileSHA256(p)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			sums[p] = sum
		}(p)
	}
	wg.Wait()
	return sums, errors.Join(errs...)
}

// Shards splits n items into k contiguous shards and runs fn on each concurrently.
func Shards(n, k int, fn func(lo, hi int) error) error {
	if k < 1 || n < 1 {
		return nil
	}
	errs := make([]error, k)
	size := (n + k - 1) / k
	var wg sync.WaitGroup
	for s := 0; s < k; s++ {
		lo, hi := s*size, min((s+1)*size, n)
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := fn(lo, hi); err != nil {
				errs[s] = fmt.Errorf("shard %d [%d,%d): %w", s, lo, hi, err)
			}
		}()
		if hi == n {
			break
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ShardsCopy is Shards with the shard index copied per iteration.
func ShardsCopy(n, k int, fn func(lo, hi int) error) error {
	if k < 1 || n < 1 {
		return nil
	}
	errs := make([]error, k)
	size := (n + k - 1) / k
	var wg sync.WaitGroup
	for s := 0; s < k; s++ {
		s := s // ok: per-iteration copy
		lo, hi := s*size, min((s+1)*size, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(lo, hi); err != nil {
				errs[s] = fmt.Errorf("shard %d: %w", s, err)
			}
		}()
		if hi == n {
			break
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}
