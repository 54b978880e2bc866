package workerpool

import (
	"context"
	"sync"
)

// Generate emits items on a channel until they run out or ctx ends. The
// goroutine is the only sender, so closing the channel on its way out is
// safe.
func Generate[T any](ctx context.Context, items []T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
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

// Map applies fn to every input using n workers. Output order is not
// preserved. The output channel is closed after all workers have returned.
func Map[T, U any](ctx context.Context, n int, in <-chan T, fn func(T) U) <-chan U {
	out := make(chan U)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
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
		close(out)
	}()
	return out
}

// Filter forwards inputs for which keep returns true.
func Filter[T any](ctx context.Context, in <-chan T, keep func(T) bool) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		for v := range in {
			if !keep(v) {
				continue
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Chunk groups inputs into slices of up to size elements.
func Chunk[T any](ctx context.Context, in <-chan T, size int) <-chan []T {
	out := make(chan []T)
	go func() {
		defer close(out)
		buf := make([]T, 0, size)
		flush := func() bool {
			if len(buf) == 0 {
				return true
			}
			select {
			case out <- buf:
				buf = make([]T, 0, size)
				return true
			case <-ctx.Done():
				return false
			}
		}
		for v := range in {
			buf = append(buf, v)
			if len(buf) == size && !flush() {
				return
			}
		}
		flush()
	}()
	return out
}

// DrainAll reads in until it is closed or ctx ends and returns the values.
func DrainAll[T any](ctx context.Context, in <-chan T) []T {
	var out []T
	for {
		select {
		case v, ok := <-in:
			if !ok {
				return out
			}
			out = append(out, v)
		case <-ctx.Done():
			return out
		}
	}
}

// OrderedMap applies fn to items concurrently and returns results in input
// order. Each goroutine writes only its own slot.
func OrderedMap[T, U any](items []T, n int, fn func(T) U) []U {
	out := make([]U, len(items))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer releaseToken(sem)
			out[i] = fn(it)
		}()
	}
	wg.Wait()
	return out
}

// First runs fns concurrently and returns the first successful result. The
// result channel has room for every sender, so losers never block.
func First[T any](ctx context.Context, fns ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type res struct {
		v   T
		err error
	}
	ch := make(chan res, len(fns))
	for _, fn := range fns {
		go func() {
			v, err := fn(ctx)
			ch <- res{v, err}
		}()
	}
	var lastErr error
	for range fns {
		select {
		case r := <-ch:
			if r.err == nil {
				return r.v, nil
			}
			lastErr = r.err
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
	var zero T
	return zero, lastErr
}

// Timeout runs fn and gives up after ctx ends. The goroutine selects on
// ctx as well, so it exits even if nobody is left to receive.
func Timeout[T any](ctx context.Context, fn func() T) (T, error) {
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
		return zero, ctx.Err()
	}
}
