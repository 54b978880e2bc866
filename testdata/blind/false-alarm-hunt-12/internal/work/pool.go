// Package work has fan-out helpers built on sync.WaitGroup.Go and channels.
package work

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Map applies f to every input concurrently and returns results in order.
func Map[T, R any](ctx context.Context, in []T, f func(context.Context, T) (R, error)) ([]R, error) {
	out := make([]R, len(in))
	errs := make([]error, len(in))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Go(func() {
			out[i], errs[i] = f(ctx, v)
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// Result is one answer of a backend.
type Result struct {
	Backend string
	Value   string
	Err     error
}

// Backend answers queries.
type Backend interface {
	Name() string
	Query(ctx context.Context, q string) (string, error)
}

// FirstOf returns the first successful answer. The channel has room for every
// sender, so the losers never block after FirstOf has returned.
func FirstOf(ctx context.Context, backends []Backend, q string) (Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan Result, len(backends))
	for _, b := range backends {
		go func() {
			v, err := b.Query(ctx, q)
			results <- Result{Backend: b.Name(), Value: v, Err: err}
		}()
	}
	var errs []error
	for range backends {
		select {
		case r := <-results:
			if r.Err == nil {
				return r, nil
			}
			errs = append(errs, r.Err)
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
	}
	return Result{}, errors.Join(errs...)
}

// Call runs f in a goroutine and waits for it or for ctx. The result channel is
// buffered, so an abandoned f can still deliver and exit.
func Call[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type res struct {
		v   T
		err error
	}
	ch := make(chan res, 1)
	go func() {
		v, err := f()
		ch <- res{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Stream produces f(i) for i in [0,n) on a channel owned and closed by the
// producer goroutine.
func Stream[T any](ctx context.Context, n int, f func(int) T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		for i := range n {
			select {
			case out <- f(i):
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Merge forwards every input to one output, closed once all forwarders finish.
func Merge[T any](ctx context.Context, ins ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Go(func() {
			for v := range in {
				select {
				case out <- v:
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

// Item is something a Source produces.
type Item struct {
	Source string
	Data   []byte
}

// Source fetches one item.
type Source interface {
	Name() string
	Fetch(ctx context.Context) (Item, error)
}

// Gather collects items from all sources until ctx ends.
func Gather(ctx context.Context, srcs []Source) ([]Item, error) {
	type res struct {
		it  Item
		err error
	}
	ch := make(chan res, len(srcs))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, s := range srcs {
		go func() {
			it, err := s.Fetch(ctx)
			ch <- res{it, err}
		}()
	}
	var items []Item
	for range srcs {
		select {
		case r := <-ch:
			if r.err != nil {
				return items, r.err
			}
			items = append(items, r.it)
		case <-ctx.Done():
			return items, ctx.Err()
		}
	}
	return items, nil
}

// GatherAll collects from all sources; the channel is closed by its single
// owner only after every sender has finished.
func GatherAll(ctx context.Context, srcs []Source) ([]Item, error) {
	ch := make(chan Item)
	errc := make(chan error, len(srcs))
	var wg sync.WaitGroup
	for _, s := range srcs {
		wg.Go(func() {
			it, err := s.Fetch(ctx)
			if err != nil {
				errc <- fmt.Errorf("%s: %w", s.Name(), err)
				return
			}
			ch <- it
		})
	}
	go func() {
		defer close(ch)
		wg.Wait()
	}()
	var items []Item
	for it := range ch {
		items = append(items, it)
	}
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return items, errors.Join(errs...)
}

// Batch validates and applies items concurrently.
func Batch[T any](items []T, validate func(T) error, apply func(T) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			if err := validate(it); err != nil {
				errs[i] = err
				return
			}
			errs[i] = apply(it)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// BatchGo is Batch with WaitGroup.Go, which calls Done on every path.
func BatchGo[T any](items []T, validate func(T) error, apply func(T) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Go(func() {
			if err := validate(it); err != nil {
				errs[i] = err
				return
			}
			errs[i] = apply(it)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Shard splits items into n parts and runs fn on each concurrently. It returns
// the number of shards started.
func Shard(items []string, n int, fn func(shard int, part []string)) int {
	if n <= 0 {
		return 0
	}
	size := (len(items) + n - 1) / n
	var wg sync.WaitGroup
	var i int
	for i = 0; i < n && i*size < len(items); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			lo, hi := i*size, min((i+1)*size, len(items))
			fn(i, items[lo:hi])
		}()
	}
	wg.Wait()
	return i
}

// Chunks is Shard with a per-iteration loop variable (Go 1.22+ semantics).
func Chunks(items []string, n int, fn func(shard int, part []string)) {
	if n <= 0 {
		return
	}
	size := (len(items) + n - 1) / n
	var wg sync.WaitGroup
	for i := 0; i < n && i*size < len(items); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := i*size, min((i+1)*size, len(items))
			fn(i, items[lo:hi])
		}()
	}
	wg.Wait()
}

// Retry calls f until it succeeds, with a fixed backoff, honouring ctx.
func Retry(ctx context.Context, attempts int, backoff time.Duration, f func(context.Context) error) error {
	var err error
	for range attempts {
		if err = f(ctx); err == nil {
			return nil
		}
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		}
	}
	return err
}

// Prefetch starts loading key in the background and returns its value once
// validate accepts the key.
func Prefetch[T any](key string, validate func(string) error, load func(string) T) (T, error) {
	ch := make(chan T)
	go func() { ch <- load(key) }() // HAZ goroutine-blocked-send
	if err := validate(key); err != nil {
		var zero T
		return zero, err
	}
	return <-ch, nil
}

// PrefetchBuffered is Prefetch with room for the one send.
func PrefetchBuffered[T any](key string, validate func(string) error, load func(string) T) (T, error) {
	ch := make(chan T, 1)
	go func() { ch <- load(key) }()
	if err := validate(key); err != nil {
		var zero T
		return zero, err
	}
	return <-ch, nil
}
