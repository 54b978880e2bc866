//go:build go1.22

package legacy

import "sync"

// Each runs fn on every item concurrently; this file builds with per-iteration
// loop variables.
func Each[T any](items []T, fn func(T)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() { // ok: go1.22 semantics, it is per iteration
			defer wg.Done()
			fn(it)
		}()
	}
	wg.Wait()
}
