// Package pipeline provides context-aware concurrent stages built on
// channels, iterators and sync.WaitGroup.Go.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
)

// Result is a value or an error from a stage.
type Result[T any] struct {
	Val T
	Err error
}

// Generate sends the values of seq on the returned channel until seq ends
// or ctx is done. The sender goroutine closes the channel itself.
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

// Map runs fn over in with n workers. The output is closed once every
// worker has finished.
func Map[In, Out any](ctx context.Context, in <-chan In, n int, fn func(context.Context, In) (Out, error)) <-chan Result[Out] {
	out := make(chan Result[Out])
	var wg sync.WaitGroup
	for range max(n, 1) {
		wg.Go(func() {
			for v := range in {
				r, err := fn(ctx, v)
				select {
				case out <- Result[Out]{r, err}:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Drain collects every value from ch.
func Drain[T any](ch <-chan T) []T {
	var out []T
	for v := range ch {
		out = append(out, v)
	}
	return out
}

// Seq adapts a channel to an iterator.
func Seq[T any](ch <-chan T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for v := range ch {
			if !yield(v) {
				return
			}
		}
	}
}

// FetchAll calls fetch for every key concurrently and returns the results
// gathered before ctx ends.
func FetchAll[K comparable, V any](ctx context.Context, keys []K, fetch func(context.Context, K) V) map[K]V {
	type kv struct {
		k K
		v V
	}
	ch := make(chan kv, len(keys))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, k := range keys {
		go func() { ch <- kv{k, fetch(ctx, k)} }()
	}
	out := make(map[K]V, len(keys))
	for range keys {
		select {
		case r := <-ch:
			out[r.k] = r.v
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// FetchAllBuffered is FetchAll without closing the channel: every sender
// has a buffer slot, so late senders neither block nor panic.
func FetchAllBuffered[K comparable, V any](ctx context.Context, keys []K, fetch func(context.Context, K) V) map[K]V {
	type kv struct {
		k K
		v V
	}
	ch := make(chan kv, len(keys))
	for _, k := range keys {
		go func() { ch <- kv{k, fetch(ctx, k)} }()
	}
	out := make(map[K]V, len(keys))
	for range keys {
		select {
		case r := <-ch:
			out[r.k] = r.v
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// Scatter runs fn over items with one goroutine each and returns the
// first error.
func Scatter[T any](items []T, fn func(T) error) error {
	errc := make(chan error, len(items))
	defer close(errc) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { errc <- fn(it) })
	}
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	wg.Wait()
	return nil
}

// ScatterAll runs fn over items and joins every error; the channel is
// closed only after all senders are done.
func ScatterAll[T any](items []T, fn func(T) error) error {
	errc := make(chan error)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { errc <- fn(it) })
	}
	go func() {
		wg.Wait()
		close(errc)
	}()
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ScatterWait returns the first error but joins every goroutine before
// closing the channel, so no send can race the close.
func ScatterWait[T any](items []T, fn func(T) error) error {
	errc := make(chan error, len(items))
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { errc <- fn(it) })
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

// First runs fn with a timeout and returns its result, or ctx's cause.
func First[T any](ctx context.Context, fn func() T) (T, error) {
	ch := make(chan T)
	go func() {
		ch <- fn() // HAZ goroutine-blocked-send
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}

// FirstBuffered is First with a one-slot buffer: if the caller gives up,
// the goroutine still completes its send and exits.
func FirstBuffered[T any](ctx context.Context, fn func() T) (T, error) {
	ch := make(chan T, 1)
	go func() { ch <- fn() }()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}

// FirstSelect is First with the sender also watching ctx.
func FirstSelect[T any](ctx context.Context, fn func() T) (T, error) {
	ch := make(chan T)
	go func() {
		v := fn()
		select {
		case ch <- v:
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}

// Validate runs check in the background while prepare runs, and returns
// prepare's error first if there is one.
func Validate(prepare, check func() error) error {
	errc := make(chan error)
	go func() { errc <- check() }() // HAZ goroutine-blocked-send
	if err := prepare(); err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	if err := <-errc; err != nil {
		return fmt.Errorf("check: %w", err)
	}
	return nil
}

// ValidateBoth runs check in the background and always receives it, even
// when prepare fails.
func ValidateBoth(prepare, check func() error) error {
	errc := make(chan error)
	go func() { errc <- check() }()
	perr := prepare()
	cerr := <-errc
	return errors.Join(perr, cerr)
}
