//go:build go1.21

package checksum

// The helpers in this file are shared with the release-1.x branch, which is
// still built with Go 1.21; the build line above keeps the file on that
// language version so the two copies behave the same.

import (
	"log"
	"sync"
)

// HashEach hashes the paths concurrently and reports each result through fn,
// which is never called concurrently.
func HashEach(paths []string, fn func(Result)) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	started := 0
	for _, p := range paths {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			s, n, err := HashFile(p)
			mu.Lock()
			defer mu.Unlock()
			fn(Result{Path: p, Sum: s, Size: n, Err: err})
		}()
		started++
	}
	log.Printf("checksum: %d hashing goroutines started", started)
	wg.Wait()
}

// HashEachArg is HashEach with the path passed to the goroutine as an
// argument.
func HashEachArg(paths []string, fn func(Result)) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, p := range paths {
		wg.Add(1)
		go func(p string) {
			defer wg.Done()
			s, n, err := HashFile(p)
			mu.Lock()
			defer mu.Unlock()
			fn(Result{Path: p, Sum: s, Size: n, Err: err})
		}(p)
	}
	wg.Wait()
}

// HashInto fills results[i] with the digest of paths[i].
func HashInto(paths []string, results []Result) {
	var wg sync.WaitGroup
	for i := 0; i < len(paths); i++ {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, n, err := HashFile(paths[i])
			results[i] = Result{Path: paths[i], Sum: s, Size: n, Err: err}
		}()
	}
	wg.Wait()
}

// FirstError returns the first result with an error, scanning in order.
func FirstError(results []Result) (Result, bool) {
	for _, r := range results {
		if r.Err != nil {
			return r, true
		}
	}
	return Result{}, false
}
