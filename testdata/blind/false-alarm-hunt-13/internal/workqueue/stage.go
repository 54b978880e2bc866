package workqueue

import (
	"context"
	"sync"
)

// Stage applies fn to every value of in and emits the results. The output
// channel is owned and closed by the single goroutine that sends on it.
func Stage[T, R any](ctx context.Context, in <-chan T, fn func(T) R) <-chan R {
	out := make(chan R)
	go func() {
		defer close(out)
		for v := range in {
			select {
			case out <- fn(v):
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Merge fans several channels into one. The output is closed by a separate
// goroutine once every forwarding goroutine has returned.
func Merge[T any](ctx context.Context, ins ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	wg.Add(len(ins))
	for _, in := range ins {
		go func() {
			defer wg.Done()
			for v := range in {
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

// Scatter streams the keys of every shard into out, one goroutine per
// shard, and closes out when it returns. It stops at the first failing shard.
func Scatter(ctx context.Context, shards [][]string, out chan<- string) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(shards))
	for _, shard := range shards {
		go func() {
			for _, k := range shard {
				select {
				case out <- k:
				case <-ctx.Done():
					errc <- ctx.Err()
					return
				}
			}
			errc <- nil
		}()
	}
	for range shards {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Collect drains in until it is closed or ctx is done.
func Collect[T any](ctx context.Context, in <-chan T) ([]T, error) {
	var out []T
	for {
		select {
		case v, ok := <-in:
			if !ok {
				return out, nil
			}
			out = append(out, v)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
}
