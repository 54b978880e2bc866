package closechan

import "example.com/closechan/collect"

type group struct{ workers int }

// wait reads until it has one value per worker, then leaves the range.
func (g group) wait(results chan error) int {
	n := 0
	for range results {
		n++
		if n == g.workers {
			break
		}
	}
	return n
}

// ---- not flagged ----

// A collector of the package reads one value per goroutine.
func runCounted(g group, work func() error) int {
	results := make(chan error)
	defer close(results)
	for i := 0; i < g.workers; i++ {
		go func() { results <- work() }()
	}
	return g.wait(results)
}

// A collector of another package, given the channel for a parameter it can receive from.
func runCollected(n int, work func() error) []error {
	results := make(chan error)
	defer close(results)
	for i := 0; i < n; i++ {
		go func() { results <- work() }()
	}
	return collect.All(n, results)
}

// ---- flagged ----

// Handing the channel to a function that can only send on it waits for nothing.
func runFed(n int, work func() error) {
	results := make(chan error, n)
	defer close(results) // want `defer close\(results\) in runFed closes results when runFed returns, but the goroutine started on line \d+ can still send on it`
	for i := 0; i < n; i++ {
		go func() { results <- work() }()
	}
	collect.Feed(results, nil)
}
