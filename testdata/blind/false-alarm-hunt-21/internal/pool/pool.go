// Package pool runs generator work on a bounded number of goroutines.
package pool

import (
	"context"
	"errors"
	"sync"
)

// Task is a named unit of work for RunAll.
type Task struct {
	Name string
	Run  func() error
}

// Map applies fn to every item with n workers and returns the results in
// input order. It stops handing out work when ctx is cancelled and always
// waits for the workers before returning.
func Map[T, R any](ctx context.Context, items []T, n int, fn func(context.Context, T) (R, error)) ([]R, error) {
	if n < 1 {
		n = 1
	}
	results := make([]R, len(items))
	errs := make([]error, len(items))
	idx := make(chan int)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				results[i], errs[i] = fn(ctx, items[i])
			}
		}()
	}
feed:
	for i := range items {
		select {
		case idx <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(idx)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, errors.Join(errs...)
}

// Each runs fn for every item, at most limit at a time, and joins the errors.
func Each[T any](items []T, limit int, fn func(T) error) error {
	if limit < 1 {
		limit = 1
	}
	sem := make(chan struct{}, limit)
	errc := make(chan error, len(items))
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			err := fn(it)
			<-sem
			errc <- err
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Stream applies fn to each value received on in, using workers goroutines,
// and emits the results on the returned channel, which is closed once in is
// closed and drained. The consumer must read until the channel is closed.
func Stream[T, R any](in <-chan T, workers int, fn func(T) R) <-chan R {
	out := make(chan R)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				out <- fn(v)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Drain runs fn on the values of in with n workers until in is closed, and
// returns the first error. A worker stops at its first error.
func Drain[T any](in <-chan T, n int, fn func(T) error) error {
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range max(n, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				if err := fn(v); err != nil {
					once.Do(func() { first = err })
					wg.Done() // HAZ waitgroup-done-path
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// DrainAll is Drain for callers that want every error: workers keep going
// after a failure, and each marks itself done exactly once.
func DrainAll[T any](in <-chan T, n int, fn func(T) error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for range max(n, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				if err := fn(v); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
