//go:build go1.21

// This file is still built with go1.21 semantics: it is shared with the
// release branch, which has not moved to go1.22 yet.

package grep

import (
	"regexp"
	"sync"
)

const countBatch = 8

// CountFiles counts matching lines per file, at most countBatch files at a
// time.
func CountFiles(paths []string, re *regexp.Regexp) map[string]int {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	counts := make(map[string]int, len(paths))
	for i, p := range paths {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			n, _ := countFile(p, re)
			mu.Lock()
			counts[p] = n
			mu.Unlock()
		}()
		if (i+1)%countBatch == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
	return counts
}

// CountFilesErr is CountFiles that also reports errors. It copies the loop
// variable, which is what go1.21 code has to do.
func CountFilesErr(paths []string, re *regexp.Regexp) (map[string]int, map[string]error) {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	counts := make(map[string]int, len(paths))
	errs := make(map[string]error)
	for _, p := range paths {
		p := p // ok: per-iteration copy
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := countFile(p, re)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[p] = err
				return
			}
			counts[p] = n
		}()
	}
	wg.Wait()
	return counts, errs
}

// SizesOf passes the loop variable as an argument instead.
func SizesOf(paths []string, re *regexp.Regexp) []int {
	out := make([]int, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func(i int, p string) {
			defer wg.Done()
			out[i], _ = countFile(p, re) // ok: i and p are parameters
		}(i, p)
	}
	wg.Wait()
	return out
}
