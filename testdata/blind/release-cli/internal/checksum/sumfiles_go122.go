//go:build go1.22

package checksum

import "sync"

// SumFiles hashes paths concurrently, one goroutine per file, and returns the
// results in input order. Built with Go 1.22 or later, every iteration has
// its own i and p.
func SumFiles(paths []string) []Result {
	out := make([]Result, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := File(p)
			out[i] = Result{Sum: s, Err: err}
		}()
	}
	wg.Wait()
	return out
}
