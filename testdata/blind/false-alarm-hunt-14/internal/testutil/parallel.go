//go:build go1.21

// This file uses the go1.21 min/max builtins; the build line keeps it out of
// older toolchains.

package testutil

import (
	"log"
	"sort"
	"sync"
)

// Verbose makes CheckAll log every check it starts.
var Verbose bool

// CheckAll runs every named check concurrently and returns the failures as
// "name: error" lines, sorted.
func CheckAll(checks map[string]func() error) []string {
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		failed []string
	)
	for name, check := range checks {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := check(); err != nil {
				mu.Lock()
				failed = append(failed, name+": "+err.Error())
				mu.Unlock()
			}
		}()
		if Verbose {
			log.Printf("testutil: started check %s", name)
		}
	}
	wg.Wait()
	sort.Strings(failed)
	return failed
}

// Fanout calls fn(worker, i) for i in [0, n) on at most workers goroutines
// and waits for all of them.
func Fanout(n, workers int, fn func(worker, i int)) {
	workers = max(1, min(workers, n))
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := range next {
				fn(w, i)
			}
		}(w)
	}
	wg.Wait()
}

// Each calls fn for every item on its own goroutine and waits for all.
func Each[T any](items []T, fn func(T)) {
	var wg sync.WaitGroup
	for _, item := range items {
		item := item
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(item)
		}()
	}
	wg.Wait()
}
