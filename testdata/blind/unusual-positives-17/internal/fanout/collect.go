package fanout

import (
	"context"
	"iter"
	"sync"
)

// SourceFunc produces the values of one upstream.
type SourceFunc[T any] func(ctx context.Context) iter.Seq[T]

// Collect gathers the first limit values produced by any of the sources.
func Collect[T any](ctx context.Context, limit int, sources ...SourceFunc[T]) ([]T, error) {
	out := make(chan T)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, src := range sources {
		go func() {
			for v := range src(ctx) {
				out <- v
			}
		}()
	}

	res := make([]T, 0, limit)
	for len(res) < limit {
		select {
		case v := <-out:
			res = append(res, v)
		case <-ctx.Done():
			return res, ctx.Err()
		}
	}
	return res, nil
}

// Merge returns a channel carrying the values of every source. The channel
// is closed by a goroutine that first waits for all senders.
func Merge[T any](ctx context.Context, sources ...SourceFunc[T]) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	wg.Add(len(sources))
	for _, src := range sources {
		go func() {
			defer wg.Done()
			for v := range src(ctx) {
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Produce turns an iterator into a channel; the sending goroutine owns the
// channel and closes it when it stops sending.
func Produce[T any](ctx context.Context, seq iter.Seq[T]) <-chan T {
	ch := make(chan T)
	go func() {
		defer close(ch)
		for v := range seq {
			select {
			case ch <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// Apply runs fn over in concurrently. The deferred close runs only after
// wg.Wait has seen every sender finish.
func Apply[T, R any](in []T, fn func(T) R) []R {
	results := make(chan R, len(in))
	defer close(results)
	var wg sync.WaitGroup
	for _, v := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- fn(v)
		}()
	}
	wg.Wait()
	out := make([]R, 0, len(in))
	for range len(in) {
		out = append(out, <-results)
	}
	return out
}
