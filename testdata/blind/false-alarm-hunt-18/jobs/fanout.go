//go:build go1.21

// This file keeps the pre-Go 1.22 loop semantics on purpose: it is built
// with the go1.21 language version selected by the constraint above.

package jobs

import "sync"

// RunAll runs every job in its own goroutine, at most batch at a time,
// and returns the results in job order.
func RunAll(jobs []Job, batch int, process func(Job) Result) []Result {
	results := make([]Result, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			results[i] = process(j)
		}()
		if batch > 0 && (i+1)%batch == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
	return results
}

// RunEach is RunAll without batching; the loop variables are passed to
// the goroutine as arguments.
func RunEach(jobs []Job, process func(Job) Result) []Result {
	results := make([]Result, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func(i int, j Job) {
			defer wg.Done()
			results[i] = process(j)
		}(i, j)
	}
	wg.Wait()
	return results
}

// RunBatched is RunAll with per-iteration copies of the loop variables.
func RunBatched(jobs []Job, batch int, process func(Job) Result) []Result {
	results := make([]Result, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		i, j := i, j
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = process(j)
		}()
		if batch > 0 && (i+1)%batch == 0 {
			wg.Wait()
		}
	}
	wg.Wait()
	return results
}
