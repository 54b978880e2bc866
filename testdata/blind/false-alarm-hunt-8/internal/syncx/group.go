// Package syncx has small concurrency helpers shared by the commands.
package syncx

import (
	"context"
	"sync"
)

// Group runs goroutines and waits for them, keeping the first error. It is
// a minimal errgroup.
type Group struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

// WithContext returns a group whose context is cancelled by the first error
// or by Wait.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// Go runs fn in a new goroutine.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := fn(); err != nil {
			g.once.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

// Wait blocks until every goroutine started by Go has returned.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// FirstError runs every fn concurrently and returns the first non-nil error,
// or ctx's error if ctx ends first. The channel has room for every fn, so
// the goroutines never block after an early return.
func FirstError(ctx context.Context, fns ...func() error) error {
	errc := make(chan error, len(fns))
	for _, fn := range fns {
		go func() { errc <- fn() }()
	}
	for range fns {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Map applies fn to every item with at most workers goroutines and returns
// the results in input order.
func Map[T, R any](ctx context.Context, items []T, workers int, fn func(context.Context, T) (R, error)) ([]R, error) {
	if workers <= 0 {
		workers = 1
	}
	out := make([]R, len(items))
	g, ctx := WithContext(ctx)
	idx := make(chan int)
	for range workers {
		g.Go(func() error {
			for i := range idx {
				r, err := fn(ctx, items[i])
				if err != nil {
					return err
				}
				out[i] = r
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(idx)
		for i := range items {
			select {
			case idx <- i:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	return out, g.Wait()
}
