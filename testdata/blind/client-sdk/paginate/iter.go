package paginate

import (
	"context"
)

// Iterator yields items one at a time, fetching pages lazily.
type Iterator[T any] struct {
	pager *Pager[T]
	buf   []T
	cur   T
	err   error
}

// Items returns an iterator over all items of fetch.
func Items[T any](fetch FetchFunc[T]) *Iterator[T] {
	return &Iterator[T]{pager: New(fetch)}
}

// Next advances the iterator. It returns false at the end or on error.
func (it *Iterator[T]) Next(ctx context.Context) bool {
	for len(it.buf) == 0 {
		if it.err != nil || !it.pager.More() {
			return false
		}
		it.buf, it.err = it.pager.Next(ctx)
	}
	it.cur = it.buf[0]
	it.buf = it.buf[1:]
	return true
}

// Value returns the current item.
func (it *Iterator[T]) Value() T { return it.cur }

// Err returns the first error encountered.
func (it *Iterator[T]) Err() error { return it.err }

// Seq adapts the iterator to a push-style function.
func (it *Iterator[T]) Seq(ctx context.Context) func(yield func(T) bool) {
	return func(yield func(T) bool) {
		for it.Next(ctx) {
			if !yield(it.Value()) {
				return
			}
		}
	}
}

// Stream produces items on a channel until the pages run out or ctx is done.
// The returned error channel receives at most one error.
func Stream[T any](ctx context.Context, fetch FetchFunc[T]) (<-chan T, <-chan error) {
	out := make(chan T)
	errc := make(chan error, 1)
	go func() {
		defer close(out) // ok: this goroutine is the only sender
		defer close(errc)
		it := Items(fetch)
		for it.Next(ctx) {
			select {
			case out <- it.Value():
			case <-ctx.Done():
				errc <- ctx.Err()
				return
			}
		}
		if err := it.Err(); err != nil {
			errc <- err
		}
	}()
	return out, errc
}

// Collect drains a stream into a slice.
func Collect[T any](items <-chan T, errc <-chan error) ([]T, error) {
	var out []T
	for v := range items {
		out = append(out, v)
	}
	return out, <-errc
}

// Take returns at most n items, cancelling the stream afterwards.
func Take[T any](ctx context.Context, fetch FetchFunc[T], n int) ([]T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ok: lets the producer observe ctx.Done and exit
	items, errc := Stream(ctx, fetch)
	var out []T
	for v := range items {
		out = append(out, v)
		if len(out) == n {
			return out, nil
		}
	}
	return out, <-errc
}
