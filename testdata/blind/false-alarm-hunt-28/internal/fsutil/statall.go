//go:build go1.21

// This file predates the module's move to Go 1.22 and still carries the
// go1.21 constraint it was written with (it was the first user of slices).

package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"sync"
	"time"
)

// statBatch bounds how many Lstat calls run at once.
const statBatch = 64

// StatAll lstats every path concurrently, in batches; errors are reported
// per path in the second slice.
func StatAll(paths []string) ([]fs.FileInfo, []error) {
	infos := make([]fs.FileInfo, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			infos[i], errs[i] = os.Lstat(p)
		}()
		if i%statBatch == statBatch-1 {
			wg.Wait()
		}
	}
	wg.Wait()
	return infos, errs
}

// NewestModTime returns the latest modification time among paths.
func NewestModTime(paths []string) (time.Time, error) {
	if len(paths) == 0 {
		return time.Time{}, nil
	}
	times := make([]time.Time, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func(i int, p string) {
			defer wg.Done()
			fi, err := os.Stat(p)
			if err != nil {
				errs[i] = err
				return
			}
			times[i] = fi.ModTime()
		}(i, p)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return time.Time{}, err
	}
	return slices.MaxFunc(times, func(a, b time.Time) int { return a.Compare(b) }), nil
}

// ExistAll reports, for each path, whether it exists.
func ExistAll(paths []string) []bool {
	out := make([]bool, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		i, p := i, p
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := os.Stat(p)
			out[i] = err == nil
		}()
	}
	wg.Wait()
	return out
}
