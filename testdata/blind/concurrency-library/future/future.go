// Package future provides futures and promises over channels.
package future

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrTimeout is returned when a bounded wait expires.
var ErrTimeout = errors.New("future: timeout")

// Future is the eventual result of a computation.
type Future[T any] struct {
	done chan struct{}
	once sync.Once
	val  T
	err  error
}

func newFuture[T any]() *Future[T] { return &Future[T]{done: make(chan struct{})} }

// complete stores the result once; later calls are ignored.
func (f *Future[T]) complete(v T, err error) bool {
	ok := false
	f.once.Do(func() {
		f.val, f.err = v, err
		close(f.done)
		ok = true
	})
	return ok
}

// Go runs fn on a goroutine; a panic becomes the future's error.
func Go[T any](fn func() (T, error)) *Future[T] {
	f := newFuture[T]()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				var zero T
				f.complete(zero, fmt.Errorf("future: panic: %v", r))
			}
		}()
		f.complete(fn())
	}()
	return f
}

// Done is closed when the result is available.
func (f *Future[T]) Done() <-chan struct{} { return f.done }

// Await waits for the result or ctx.
func (f *Future[T]) Await(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Get waits without a deadline.
func (f *Future[T]) Get() (T, error) {
	<-f.done
	return f.val, f.err
}

// Promise is a Future completed by its owner.
type Promise[T any] struct{ f *Future[T] }

// NewPromise returns an unresolved promise.
func NewPromise[T any]() *Promise[T] { return &Promise[T]{f: newFuture[T]()} }

// Future returns the read side.
func (p *Promise[T]) Future() *Future[T] { return p.f }

// Resolve completes the promise with v.
func (p *Promise[T]) Resolve(v T) bool { return p.f.complete(v, nil) }

// Reject completes the promise with err.
func (p *Promise[T]) Reject(err error) bool {
	var zero T
	return p.f.complete(zero, err)
}

// Fulfil runs fn and completes p with its result; if fn panics p is rejected
// and the panic continues.
func (p *Promise[T]) Fulfil(fn func() (T, error)) {
	defer func() {
		if r := recover(); r != nil {
			p.Reject(fmt.Errorf("future: panic: %v", r))
			panic(r) // ok: re-panics after recording
		}
	}()
	p.f.complete(fn())
}

// Run starts fn and returns a channel with its value. Panics in fn are
// contained so that one failed computation does not crash the caller.
func Run[T any](fn func() T) <-chan T {
	ch := make(chan T, 1)
	go func() {
		defer recover() // HAZ recover-ineffective
		ch <- fn()
	}()
	return ch
}

// Timeout runs fn and gives up after d.
func Timeout[T any](d time.Duration, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		v, err := fn()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(d):
		var zero T
		return zero, ErrTimeout
	}
}

// TimeoutCtx is Timeout driven by a context; the worker can always finish.
func TimeoutCtx[T any](ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	f := Go(func() (T, error) { return fn(ctx) })
	return f.Await(ctx) // ok: Go's goroutine completes through close, never blocks
}

// GoLimited is Go bounded by sem: the computation waits for a slot first.
func GoLimited[T any](sem chan struct{}, fn func() (T, error)) *Future[T] {
	f := newFuture[T]()
	go func() {
		release := func() {}
		defer release() // HAZ defer-eager-evaluation
		if sem != nil {
			sem <- struct{}{}
			release = func() { <-sem }
		}
		f.complete(fn())
	}()
	return f
}

// GoBounded is GoLimited with the release deferred only once a slot is held.
func GoBounded[T any](sem chan struct{}, fn func() (T, error)) *Future[T] {
	f := newFuture[T]()
	go func() {
		sem <- struct{}{}
		defer func() { <-sem }() // ok: a slot is held, the receive never blocks
		f.complete(fn())
	}()
	return f
}

// All waits for every future and returns their values in order.
func All[T any](ctx context.Context, fs ...*Future[T]) ([]T, error) {
	out := make([]T, len(fs))
	for i, f := range fs {
		v, err := f.Await(ctx)
		if err != nil {
			return nil, fmt.Errorf("future %d: %w", i, err)
		}
		out[i] = v
	}
	return out, nil
}

// AllProgress is All that reports the number of completed futures on
// progress when it returns.
func AllProgress[T any](ctx context.Context, progress chan<- int, fs ...*Future[T]) ([]T, error) {
	out := make([]T, len(fs))
	n := 0
	defer func() { progress <- n }() // HAZ defer-blocking-call
	for i, f := range fs {
		v, err := f.Await(ctx)
		if err != nil {
			return nil, err
		}
		out[i] = v
		n++
	}
	return out, nil
}

// AllNotify is AllProgress that never blocks on a slow observer.
func AllNotify[T any](ctx context.Context, progress chan<- int, fs ...*Future[T]) ([]T, error) {
	out := make([]T, len(fs))
	n := 0
	defer func() {
		select {
		case progress <- n: // ok: non-blocking notification
		default:
		}
	}()
	for i, f := range fs {
		v, err := f.Await(ctx)
		if err != nil {
			return nil, err
		}
		out[i] = v
		n++
	}
	return out, nil
}

// Any returns the first successful value.
func Any[T any](ctx context.Context, fs ...*Future[T]) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type res struct {
		v   T
		err error
	}
	ch := make(chan res, len(fs))
	for _, f := range fs {
		go func() {
			v, err := f.Await(ctx)
			ch <- res{v, err} // ok: buffered for every future
		}()
	}
	var errs []error
	for range fs {
		r := <-ch
		if r.err == nil {
			return r.v, nil
		}
		errs = append(errs, r.err)
	}
	var zero T
	return zero, errors.Join(errs...)
}

// Then derives a future from f.
func Then[T, U any](f *Future[T], fn func(T) (U, error)) *Future[U] {
	return Go(func() (U, error) {
		v, err := f.Get()
		if err != nil {
			var zero U
			return zero, err
		}
		return fn(v)
	})
}
