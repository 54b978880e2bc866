// Package fanout runs work concurrently: bounded pools, scatter/gather and
// asynchronous results.
package fanout

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrTimeout is returned when results do not arrive in time.
var ErrTimeout = errors.New("fanout: timed out")

// Pool bounds the number of goroutines working on items of type T.
type Pool[T any] struct {
	sem chan struct{}
}

// NewPool returns a pool that runs at most limit functions at once.
func NewPool[T any](limit int) *Pool[T] {
	return &Pool[T]{sem: make(chan struct{}, max(limit, 1))}
}

// spawn waits for a free slot and runs fn in a new goroutine. The deferred
// release receives the token this goroutine itself put in the buffer, so it
// never waits.
func (p *Pool[T]) spawn(fn func()) {
	p.sem <- struct{}{}
	go func() {
		defer p.release()
		fn()
	}()
}

func (p *Pool[T]) release() { <-p.sem }

// Map calls f on every item and joins the errors.
func (p *Pool[T]) Map(items []T, f func(T) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, it := range items {
		wg.Add(1)
		p.spawn(func() {
			if err := f(it); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// MapIndexed calls f on every item and returns the errors by position.
func (p *Pool[T]) MapIndexed(items []T, f func(T) error) []error {
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		p.spawn(func() {
			defer wg.Done()
			errs[i] = f(it)
		})
	}
	wg.Wait()
	return errs
}

// Each calls f on every item unless ctx is already done, and returns the
// first error.
func (p *Pool[T]) Each(ctx context.Context, items []T, f func(context.Context, T) error) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(items))
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ctx.Err() != nil {
				errc <- ctx.Err()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			errc <- f(ctx, it)
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			return err
		}
	}
	return nil
}

// EachCounted calls f on every item that starts before ctx is done and
// counts the failures. Done is deferred, so the early exit counts too.
func (p *Pool[T]) EachCounted(ctx context.Context, items []T, f func(context.Context, T) error) (failed int) {
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ctx.Err() != nil {
				return
			}
			if err := f(ctx, it); err != nil {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return failed
}

// Drain runs n consumers that call f on values from in until it is closed
// or stop is.
func Drain[T any](in <-chan T, stop <-chan struct{}, n int, f func(T) error) {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			for {
				select {
				case <-stop:
					wg.Done()
					return
				case v, ok := <-in:
					if !ok {
						wg.Done() // HAZ waitgroup-done-path
						return
					}
					if err := f(v); err != nil {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// DrainAll is Drain with Done deferred, so the error exit counts too.
func DrainAll[T any](in <-chan T, n int, f func(T) error) (failed bool) {
	var (
		wg   sync.WaitGroup
		once sync.Once
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				if err := f(v); err != nil {
					once.Do(func() { failed = true })
					return
				}
			}
		}()
	}
	wg.Wait()
	return failed
}

// FirstError checks every item concurrently and returns the first failure,
// or ErrTimeout when the checks take longer than d.
func FirstError[T any](items []T, d time.Duration, check func(T) error) error {
	type result struct {
		item T
		err  error
	}
	results := make(chan result)
	for _, it := range items {
		go func() { results <- result{it, check(it)} }() // HAZ goroutine-blocked-send
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	for pending := len(items); pending > 0; pending-- {
		select {
		case r := <-results:
			if r.err != nil {
				return fmt.Errorf("%v: %w", r.item, r.err)
			}
		case <-timer.C:
			return ErrTimeout
		}
	}
	return nil
}

// FirstErrorBuffered is FirstError with the channel buffered to the number
// of senders, so abandoned senders still complete.
func FirstErrorBuffered[T any](items []T, d time.Duration, check func(T) error) error {
	type result struct {
		item T
		err  error
	}
	results := make(chan result, len(items))
	for _, it := range items {
		go func() { results <- result{it, check(it)} }()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	for pending := len(items); pending > 0; pending-- {
		select {
		case r := <-results:
			if r.err != nil {
				return fmt.Errorf("%v: %w", r.item, r.err)
			}
		case <-timer.C:
			return ErrTimeout
		}
	}
	return nil
}
