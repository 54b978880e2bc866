package work

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// Gather runs fn over inputs concurrently and hands each result to emit as it
// arrives, stopping at the first emit error.
func Gather[T, R any](inputs []T, fn func(T) R, emit func(R) error) error {
	out := make(chan R, len(inputs))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, in := range inputs {
		go func() { out <- fn(in) }()
	}
	for range inputs {
		if err := emit(<-out); err != nil {
			return err
		}
	}
	return nil
}

// Stream runs fn over inputs concurrently; the returned channel is closed once every
// result has been delivered or ctx is done.
func Stream[T, R any](ctx context.Context, inputs []T, fn func(T) R) <-chan R {
	out := make(chan R)
	var wg sync.WaitGroup
	for _, in := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case out <- fn(in):
			case <-ctx.Done():
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Batch calls fn on consecutive chunks of items, concurrently, and joins the errors.
func Batch[T any](items []T, size int, fn func([]T) error) error {
	if size < 1 {
		size = 1
	}
	n := (len(items) + size - 1) / size
	errs := make(chan error, n)
	defer close(errs)
	var wg sync.WaitGroup
	for chunk := range slices.Chunk(items, size) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- fn(chunk)
		}()
	}
	wg.Wait()
	all := make([]error, 0, n)
	for range n {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}
