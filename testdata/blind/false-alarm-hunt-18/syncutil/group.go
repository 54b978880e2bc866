package syncutil

import (
	"context"
	"errors"
	"sync"
)

// A Group is a collection of goroutines working on subtasks of a common
// task. It is a trimmed copy of golang.org/x/sync/errgroup.
type Group struct {
	cancel func(error)

	wg  sync.WaitGroup
	sem chan struct{}

	errOnce sync.Once
	err     error
}

// WithContext returns a new Group and an associated Context derived from
// ctx. The derived Context is canceled the first time a function passed to
// Go returns a non-nil error or the first time Wait returns.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{cancel: cancel}, ctx
}

// SetLimit limits the number of active goroutines in the group to at most
// n. A negative value indicates no limit. It must not be called while
// goroutines are active.
func (g *Group) SetLimit(n int) {
	if n < 0 {
		g.sem = nil
		return
	}
	if len(g.sem) != 0 {
		panic(errors.New("syncutil: modify limit while goroutines are active"))
	}
	g.sem = make(chan struct{}, n)
}

// done releases the semaphore slot, if any, and marks one goroutine done.
func (g *Group) done() {
	if g.sem != nil {
		<-g.sem
	}
	g.wg.Done()
}

// Go calls f in a new goroutine, blocking first until a slot is free if a
// limit is set. The first call to return a non-nil error cancels the
// group's context; its error is returned by Wait.
func (g *Group) Go(f func() error) {
	if g.sem != nil {
		g.sem <- struct{}{}
	}
	g.wg.Add(1)
	go func() {
		defer g.done()
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel(g.err)
				}
			})
		}
	}()
}

// Wait blocks until all function calls from Go have returned, then returns
// the first non-nil error (if any) from them.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(g.err)
	}
	return g.err
}

// Map applies f to every element of in concurrently and returns the
// results in input order. Elements whose goroutine observes a canceled
// ctx before starting are reported with ctx's error.
func Map[T, R any](ctx context.Context, in []T, f func(context.Context, T) (R, error)) ([]R, error) {
	out := make([]R, len(in))
	errs := make([]error, len(in))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Add(1)
		go func() {
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			out[i], errs[i] = f(ctx, v)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// ForEach calls f for every element of in with at most limit calls in
// flight, stopping early on the first error.
func ForEach[T any](ctx context.Context, in []T, limit int, f func(context.Context, T) error) error {
	g, ctx := WithContext(ctx)
	g.SetLimit(limit)
	for _, v := range in {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return f(ctx, v)
		})
	}
	return g.Wait()
}

// Parallel runs every function in its own goroutine and returns when all
// of them have returned.
func Parallel(fns ...func()) {
	var wg sync.WaitGroup
	wg.Add(len(fns))
	for _, fn := range fns {
		go func() {
			defer wg.Done()
			fn()
		}()
	}
	wg.Wait()
}
