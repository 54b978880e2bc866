package worker

import (
	"cmp"
	"context"
	"iter"
	"sync"
)

// Result is the outcome of one keyed operation.
type Result[T any] struct {
	Key string
	Val T
	Err error
}

// Generate sends the values of seq on the returned channel until seq ends or
// ctx is done; the channel is then closed.
func Generate[T any](ctx context.Context, seq iter.Seq[T]) <-chan T {
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

// Merge forwards the values of every input to one channel, which is closed
// once all inputs are closed or ctx is done.
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

// RunStage reads in with n workers, sends fn's results on out and closes out
// once every worker has returned. It returns the first error of fn.
func RunStage[In, Out any](ctx context.Context, in <-chan In, out chan<- Out, n int, fn func(context.Context, In) (Out, error)) error {
	defer close(out)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range max(n, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				r, err := fn(ctx, v)
				if err != nil {
					mu.Lock()
					firstErr = cmp.Or(firstErr, err)
					mu.Unlock()
					continue
				}
				select {
				case out <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// FanOut calls fetch for every key concurrently and sends each result on
// out, which it closes when it returns.
func FanOut[T any](ctx context.Context, keys []string, fetch func(context.Context, string) (T, error), out chan<- Result[T]) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := fetch(ctx, k)
			out <- Result[T]{Key: k, Val: v, Err: err}
		}()
	}
	wg.Wait()
	return nil
}

// FanOutAll is FanOut for callers that stop reading out when ctx is done:
// it stops starting work on cancellation but still waits for the goroutines
// it started before closing out.
func FanOutAll[T any](ctx context.Context, keys []string, fetch func(context.Context, string) (T, error), out chan<- Result[T]) error {
	defer close(out)
	var (
		wg  sync.WaitGroup
		err error
	)
	for _, k := range keys {
		if err = ctx.Err(); err != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, ferr := fetch(ctx, k)
			select {
			case out <- Result[T]{Key: k, Val: v, Err: ferr}:
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
	return err
}

// ScanAll runs scan for every source concurrently; scan sends what it finds
// on out. out is closed when ScanAll returns, and the first error is
// returned.
func ScanAll(ctx context.Context, sources []string, scan func(context.Context, string, chan<- string) error, out chan<- string) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(sources))
	for _, src := range sources {
		go func() { errc <- scan(ctx, src, out) }()
	}
	for range sources {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Collect receives from in until it is closed or ctx is done.
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
			return out, context.Cause(ctx)
		}
	}
}
