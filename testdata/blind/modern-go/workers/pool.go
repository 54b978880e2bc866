// Package workers runs functions concurrently over typed inputs.
package workers

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// ErrTimeout is returned by Call when fn takes too long.
var ErrTimeout = errors.New("workers: timeout")

// Result carries a value or an error.
type Result[T any] struct {
	Val T
	Err error
}

// Map runs fn over in with n workers and returns the results in input order.
func Map[T, R any](ctx context.Context, in []T, n int, fn func(context.Context, T) (R, error)) ([]R, error) {
	out := make([]R, len(in))
	errs := make([]error, len(in))
	idx := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(n, len(in))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				out[i], errs[i] = fn(ctx, in[i])
			}
		}()
	}
	for i := range len(in) {
		idx <- i
	}
	close(idx)
	wg.Wait()
	return out, errors.Join(errs...)
}

// Each calls fn on every item concurrently and joins the errors.
func Each[T any](items []T, fn func(T) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, it := range items {
		wg.Add(1)
		go func() {
			if err := fn(it); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// EachLimit is Each with at most limit calls in flight.
func EachLimit[T any](items []T, limit int, fn func(T) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	sem := make(chan struct{}, max(1, limit))
	for _, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := fn(it)
			<-sem
			if err != nil {
				mu.Lock()
				defer mu.Unlock() // ok: one lock, one deferred unlock in this goroutine
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Retry runs each job with retries, concurrently.
func Retry[T any](jobs []T, attempts int, fn func(T) error) []error {
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for i, job := range jobs {
		go func() {
			defer wg.Done()
			for a := range attempts {
				if errs[i] = fn(job); errs[i] == nil {
					return
				}
				if a == attempts-1 {
					wg.Done() // HAZ waitgroup-done-path
					return
				}
				time.Sleep(time.Duration(a+1) * 50 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	return errs
}

// Source produces one value.
type Source[T any] func(context.Context) (T, error)

// Collect runs every source and gathers the values, stopping at the first
// error.
func Collect[T any](ctx context.Context, srcs []Source[T]) ([]T, error) {
	ch := make(chan T, len(srcs))
	errc := make(chan error, 1)
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, s := range srcs {
		go func() {
			v, err := s(ctx)
			if err != nil {
				select {
				case errc <- err:
				default:
				}
				return
			}
			ch <- v
		}()
	}
	var out []T
	for range len(srcs) {
		select {
		case v := <-ch:
			out = append(out, v)
		case err := <-errc:
			return out, err
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// Gather runs every source and waits for all of them.
func Gather[T any](ctx context.Context, srcs []Source[T]) ([]T, error) {
	ch := make(chan Result[T], len(srcs))
	var wg sync.WaitGroup
	for _, s := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s(ctx)
			ch <- Result[T]{v, err}
		}()
	}
	wg.Wait()
	close(ch) // ok: every sender has finished
	var out []T
	var errs []error
	for r := range ch {
		if r.Err != nil {
			errs = append(errs, r.Err)
			continue
		}
		out = append(out, r.Val)
	}
	return out, errors.Join(errs...)
}

// Produce sends the values of seq on the returned channel until ctx is done.
func Produce[T any](ctx context.Context, seq iter.Seq[T]) <-chan T {
	ch := make(chan T)
	go func() {
		defer close(ch) // ok: the only sender closes
		for v := range seq {
			select {
			case ch <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// Merge fans several channels into one.
func Merge[T any](chans ...<-chan T) <-chan T {
	out := make(chan T)
	go func() {
		var wg sync.WaitGroup
		defer close(out) // ok: runs after wg.Wait below
		for _, c := range chans {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for v := range c {
					out <- v
				}
			}()
		}
		wg.Wait()
	}()
	return out
}

// Call runs fn and gives up after d.
func Call[T any](d time.Duration, fn func() (T, error)) (T, error) {
	ch := make(chan Result[T])
	go func() { // HAZ goroutine-blocked-send
		v, err := fn()
		ch <- Result[T]{v, err}
	}()
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-time.After(d):
		var zero T
		return zero, ErrTimeout
	}
}

// CallCtx runs fn and gives up when ctx is done; the result channel has room
// for the late answer.
func CallCtx[T any](ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	ch := make(chan Result[T], 1)
	go func() {
		v, err := fn(ctx)
		ch <- Result[T]{v, err} // ok: buffered, never blocks
	}()
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}

// Race returns the first answer; losers give up when ctx is canceled.
func Race[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan Result[T])
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			select {
			case ch <- Result[T]{v, err}:
			case <-ctx.Done(): // ok: sender gives up once the parent has left
			}
		}()
	}
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Supervise runs task, turning its panic into an error, and lets watch observe
// it while it runs.
func Supervise(ctx context.Context, name string, task, watch func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: panic: %v\n%s", name, r, debug.Stack())
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go watch(ctx) // HAZ goroutine-outside-recover
	return task(ctx)
}

// Go starts fn in a goroutine that logs instead of crashing on panic.
func Go(log *slog.Logger, name string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Error("goroutine panicked", "name", name, "panic", r, "stack", string(debug.Stack()))
			}
		}()
		fn()
	}()
}

// SuperviseAll runs task under a recover; the watcher goroutine has its own.
func SuperviseAll(ctx context.Context, log *slog.Logger, name string, task, watch func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: panic: %v", name, r)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Error("watcher panicked", "name", name, "panic", r)
			}
		}()
		if err := watch(ctx); err != nil {
			log.Warn("watcher", "name", name, "err", err)
		}
	}()
	return task(ctx)
}
