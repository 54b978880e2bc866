//go:build go1.21

package wal

import (
	"errors"
	"hash/crc32"
	"io"
	"os"
	"sync"
)

// PrefetchSegments reads every segment once, maxParallel at a time, so
// that the page cache is warm before replay starts.
func PrefetchSegments(paths []string, maxParallel int) error {
	maxParallel = max(maxParallel, 1)
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = warmFile(p)
		}()
		if (i+1)%maxParallel == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

func warmFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// ChecksumSegments returns the CRC-32 of each segment file, computed
// concurrently.
func ChecksumSegments(paths []string) ([]uint32, error) {
	sums := make([]uint32, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func(i int, p string) {
			defer wg.Done()
			sums[i], errs[i] = checksumFile(p)
		}(i, p)
	}
	wg.Wait()
	return sums, errors.Join(errs...)
}

func checksumFile(path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, f); err != nil {
		return 0, err
	}
	return h.Sum32(), nil
}
