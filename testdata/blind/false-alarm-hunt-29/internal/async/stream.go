package async

import (
	"context"
	"iter"
	"sync"
)

// Stream sends the elements of seq on the returned channel until seq ends or
// ctx is done, then closes it.
func Stream[T any](ctx context.Context, seq iter.Seq[T]) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		for v := range seq {
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Merge forwards every input to the returned channel, which is closed once
// all inputs are drained or ctx is done and every forwarder has stopped.
func Merge[T any](ctx context.Context, ins ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
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

// Collect gathers the values of ch until it is closed or ctx is done.
func Collect[T any](ctx context.Context, ch <-chan T) ([]T, error) {
	var out []T
	for {
		select {
		case v, ok := <-ch:
			if !ok {
				return out, nil
			}
			out = append(out, v)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
}

// Seq turns ch into an iterator. Stopping the loop early leaves ch unread;
// the producer must watch its own context.
func Seq[T any](ch <-chan T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for v := range ch {
			if !yield(v) {
				return
			}
		}
	}
}
