package pool

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ForEachErr calls fn for every item concurrently and returns the first error.
func ForEachErr(items []string, fn func(string) error) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(items))
	for _, it := range items {
		wg.Add(1)
		go func() {
			if err := fn(it); err != nil {
				errc <- fmt.Errorf("%s: %w", it, err)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// ForEachLimit calls fn for indices [0, n) with at most limit calls in flight and returns
// all errors joined.
func ForEachLimit(n, limit int, fn func(i int) error) error {
	if limit < 1 {
		limit = 1
	}
	errs := make([]error, n)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(i)
			<-sem
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunGuarded runs the tasks concurrently and turns a panic in this goroutine into an error.
func RunGuarded(ctx context.Context, tasks []Task) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("run guarded: %v", r)
		}
	}()
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, t := range tasks {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			errs[i] = t(ctx)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunIsolated runs the tasks concurrently; every goroutine recovers its own panic.
func RunIsolated(ctx context.Context, tasks []Task) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("run isolated: %v", r)
		}
	}()
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, t := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("task %d panicked: %v", i, r)
				}
			}()
			errs[i] = t(ctx)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Retry runs t up to attempts times, stopping at the first success or when ctx ends.
func Retry(ctx context.Context, attempts int, t Task) error {
	var errs []error
	for a := 0; a < attempts; a++ {
		if err := ctx.Err(); err != nil {
			return errors.Join(append(errs, err)...)
		}
		err := t(ctx)
		if err == nil {
			return nil
		}
		errs = append(errs, fmt.Errorf("attempt %d: %w", a+1, err))
	}
	return errors.Join(errs...)
}
