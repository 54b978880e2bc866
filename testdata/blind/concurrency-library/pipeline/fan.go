package pipeline

import (
	"context"
	"sync"
)

// FanOut distributes in round-robin over n channels.
func FanOut[T any](ctx context.Context, in <-chan T, n int) []<-chan T {
	outs := make([]chan T, n)
	ro := make([]<-chan T, n)
	for i := range outs {
		outs[i] = make(chan T)
		ro[i] = outs[i]
	}
	go func() {
		defer func() {
			for _, c := range outs {
				close(c) // ok: closed by the only sender after it stops
			}
		}()
		i := 0
		for v := range in {
			select {
			case outs[i%n] <- v:
			case <-ctx.Done():
				return
			}
			i++
		}
	}()
	return ro
}

// Merge fans several channels into one; the output closes when all inputs
// are drained or ctx ends.
func Merge[T any](ctx context.Context, cs ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	wg.Add(len(cs))
	for _, c := range cs {
		go func() {
			defer wg.Done()
			for v := range c { // ok: c is per-iteration (go1.22)
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

func forward[T any](ctx context.Context, wg *sync.WaitGroup, in <-chan T, out chan<- T) {
	defer wg.Done()
	for v := range in {
		select {
		case out <- v:
		case <-ctx.Done():
			return
		}
	}
}

// MergeInto copies all inputs into out and closes it when they are drained.
func MergeInto[T any](ctx context.Context, out chan<- T, cs ...<-chan T) {
	var wg sync.WaitGroup
	defer close(out) // ok: wg.Wait below runs before the close
	for _, c := range cs {
		wg.Add(1)
		go forward(ctx, &wg, c, out)
	}
	wg.Wait()
}

// Interleave is Merge with a buffered output, for consumers that read in bursts.
func Interleave[T any](ctx context.Context, cs ...<-chan T) <-chan T {
	out := make(chan T, len(cs))
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() {
			for v := range c {
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Concat drains each input in turn; no goroutine per input.
func Concat[T any](ctx context.Context, cs ...<-chan T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		for _, c := range cs {
			for v := range c {
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// Producer writes values to out until it is done or ctx ends.
type Producer[T any] func(ctx context.Context, out chan<- T)

// FromProducers runs every producer and merges their output until ctx ends.
func FromProducers[T any](ctx context.Context, producers ...Producer[T]) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out) // HAZ defer-close-chan-with-sender
		for _, p := range producers {
			go p(ctx, out)
		}
		<-ctx.Done()
	}()
	return out
}

// FromProducersWait is FromProducers that closes the output only after every
// producer has returned.
func FromProducersWait[T any](ctx context.Context, producers ...Producer[T]) <-chan T {
	out := make(chan T)
	go func() {
		var wg sync.WaitGroup
		defer close(out) // ok: deferred after wg is declared, runs after wg.Wait
		for _, p := range producers {
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

// Collect drains in into a slice.
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
