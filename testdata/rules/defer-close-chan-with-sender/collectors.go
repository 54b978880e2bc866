package closechan

import (
	"context"
	"sync"

	"example.com/closechan/collect"
)

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

// producer sends values on out until ctx ends.
type producer func(ctx context.Context, out chan<- int)

// A func value given out as a send-only parameter sends on it, by its type.
func fromProducers(ctx context.Context, ps ...producer) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out) // want `defer close\(out\) in the function literal on line \d+ closes out when the function literal on line \d+ returns, but the goroutine started on line \d+ can still send on it \(p takes it as a send-only chan<- parameter\)`
		for _, p := range ps {
			go p(ctx, out)
		}
		<-ctx.Done()
	}()
	return out
}

// ---- not flagged ----

// Every producer is waited for before the close.
func fromProducersWaited(ctx context.Context, ps ...producer) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		var wg sync.WaitGroup
		for _, p := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p(ctx, out)
			}()
		}
		wg.Wait()
	}()
	return out
}

// A func value that only receives from the channel.
func drainWith(ctx context.Context, sink func(ctx context.Context, in <-chan int)) chan<- int {
	in := make(chan int)
	go func() {
		defer close(in)
		go sink(ctx, in)
		<-ctx.Done()
	}()
	return in
}

// A producer called inside the goroutine's literal sends on out too; the first error returns
// and closes out while the other producers still run.
func mergeFirstError(ctx context.Context, ps []producer, out chan<- int) error {
	defer close(out) // want `defer close\(out\) in mergeFirstError closes out when mergeFirstError returns, but the goroutine started on line \d+ can still send on it \(p takes it as a send-only chan<- parameter\)`
	errc := make(chan error, len(ps))
	for _, p := range ps {
		go func() {
			p(ctx, out)
			errc <- ctx.Err()
		}()
	}
	for range ps {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Every producer's result is received before the close.
func mergeAllResults(ctx context.Context, ps []producer, out chan<- int) error {
	defer close(out)
	errc := make(chan error, len(ps))
	for _, p := range ps {
		go func() {
			p(ctx, out)
			errc <- ctx.Err()
		}()
	}
	var first error
	for range ps {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}
