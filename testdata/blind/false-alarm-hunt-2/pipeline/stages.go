// Package pipeline provides channel-based stages, worker groups and batchers.
package pipeline

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Generate emits items until done or ctx ends.
func Generate[T any](ctx context.Context, items []T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out) // ok: this goroutine is the only sender
		for _, it := range items {
			select {
			case out <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Map applies fn with n workers; out is closed after every worker is done.
func Map[T, R any](ctx context.Context, in <-chan T, n int, fn func(T) R) <-chan R {
	out := make(chan R)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				select {
				case out <- fn(v):
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out) // ok: all senders have returned
	}()
	return out
}

// Merge fans several channels into one.
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
	go func() { wg.Wait(); close(out) }()
	return out
}

// Collect drains in into a slice.
func Collect[T any](in <-chan T) []T {
	var out []T
	for v := range in {
		out = append(out, v)
	}
	return out
}

// Batch groups items into slices of up to size, flushing at least every interval.
func Batch[T any](ctx context.Context, in <-chan T, size int, every time.Duration) <-chan []T {
	out := make(chan []T)
	go func() {
		defer close(out)
		t := time.NewTicker(every)
		defer t.Stop()
		var buf []T
		flush := func() bool {
			if len(buf) == 0 {
				return true
			}
			select {
			case out <- buf:
				buf = nil
				return true
			case <-ctx.Done():
				return false
			}
		}
		for {
			select {
			case v, ok := <-in:
				if !ok {
					flush()
					return
				}
				buf = append(buf, v)
				if len(buf) >= size && !flush() {
					return
				}
			case <-t.C:
				if !flush() {
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// ParallelEach runs fn for each item with at most n in flight and joins the errors.
func ParallelEach[T any](ctx context.Context, items []T, n int, fn func(context.Context, T) error) error {
	errs := make(chan error, len(items)) // ok: one slot per item
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs <- fn(ctx, it)
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Results runs fn on each item and returns results in order; the results channel
// is closed on return, after every sender has delivered.
func Results[T, R any](items []T, fn func(T) R) []R {
	type indexed struct {
		i int
		r R
	}
	ch := make(chan indexed)
	defer close(ch) // ok: every sender's value is received before we return
	for i, it := range items {
		go func() { ch <- indexed{i, fn(it)} }()
	}
	out := make([]R, len(items))
	for range items {
		x := <-ch
		out[x.i] = x.r
	}
	return out
}

// First returns the first result from several sources and abandons the rest.
func First[T any](ctx context.Context, srcs []func(context.Context) T) (T, error) {
	ch := make(chan T, len(srcs))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, src := range srcs {
		go func() { ch <- src(ctx) }()
	}
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// FirstOf is First without closing the channel; losers fill the buffer and exit.
func FirstOf[T any](ctx context.Context, srcs []func(context.Context) T) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan T, len(srcs))
	for _, src := range srcs {
		go func() { ch <- src(ctx) }()
	}
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Tee copies in to two outputs; both are closed by the single sending goroutine.
func Tee[T any](ctx context.Context, in <-chan T) (<-chan T, <-chan T) {
	a, b := make(chan T), make(chan T)
	go func() {
		defer close(a)
		defer close(b)
		for v := range in {
			for _, ch := range []chan T{a, b} {
				select {
				case ch <- v:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return a, b
}

// Drain discards everything from in, so upstream senders can finish.
func Drain[T any](in <-chan T) {
	go func() {
		for range in {
		}
	}()
}
