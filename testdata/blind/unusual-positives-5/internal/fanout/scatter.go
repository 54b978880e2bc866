package fanout

import (
	"context"
	"iter"
	"sync"
)

// Scatter sends every value of every part to out, one goroutine per part,
// and closes out when done. It stops at the first cancellation.
func Scatter[T any](ctx context.Context, parts [][]T, out chan<- T) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(parts))
	for _, part := range parts {
		go func() {
			for _, v := range part {
				select {
				case out <- v:
				case <-ctx.Done():
					errc <- ctx.Err()
					return
				}
			}
			errc <- nil
		}()
	}
	for range parts {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Gather is Scatter that collects the status of every sender before it
// returns, so the deferred close happens after the last send.
func Gather[T any](ctx context.Context, parts [][]T, out chan<- T) error {
	defer close(out)
	errc := make(chan error, len(parts))
	for _, part := range parts {
		go func() {
			for _, v := range part {
				select {
				case out <- v:
				case <-ctx.Done():
					errc <- ctx.Err()
					return
				}
			}
			errc <- nil
		}()
	}
	var first error
	for range parts {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// forward copies values from in to out until in is closed or ctx is done.
func forward[T any](ctx context.Context, in <-chan T, out chan<- T) {
	for v := range in {
		select {
		case out <- v:
		case <-ctx.Done():
			return
		}
	}
}

// Produce feeds every value of seq to out through n forwarding workers and
// closes out at the end.
func Produce[T any](ctx context.Context, seq iter.Seq[T], n int, out chan<- T) {
	defer close(out) // HAZ defer-close-chan-with-sender
	in := make(chan T)
	for range n {
		go forward(ctx, in, out)
	}
	for v := range seq {
		select {
		case in <- v:
		case <-ctx.Done():
			close(in)
			return
		}
	}
	close(in)
}

// ProduceJoined is Produce that waits for its workers on every path before
// the deferred close runs.
func ProduceJoined[T any](ctx context.Context, seq iter.Seq[T], n int, out chan<- T) {
	defer close(out)
	in := make(chan T)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			forward(ctx, in, out)
		}()
	}
	for v := range seq {
		select {
		case in <- v:
			continue
		case <-ctx.Done():
		}
		break
	}
	close(in)
	wg.Wait()
}

// Merge fans several channels into one; the output is closed by a separate
// goroutine after every forwarder has finished.
func Merge[T any](ctx context.Context, ins ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			forward(ctx, in, out)
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
