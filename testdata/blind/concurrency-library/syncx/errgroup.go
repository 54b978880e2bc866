package syncx

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// ErrGroup runs goroutines and collects the first error.
type ErrGroup struct {
	cancel  context.CancelCauseFunc
	wg      sync.WaitGroup
	sem     chan struct{}
	errOnce sync.Once
	err     error
}

// WithContext returns a group whose context is cancelled on the first error.
func WithContext(ctx context.Context) (*ErrGroup, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &ErrGroup{cancel: cancel}, ctx
}

// SetLimit caps the number of concurrently running functions; call before Go.
func (g *ErrGroup) SetLimit(n int) {
	if n <= 0 {
		g.sem = nil
		return
	}
	g.sem = make(chan struct{}, n)
}

func (g *ErrGroup) setErr(err error) {
	g.errOnce.Do(func() {
		g.err = err
		if g.cancel != nil {
			g.cancel(err)
		}
	})
}

func (g *ErrGroup) done() {
	if g.sem != nil {
		<-g.sem
	}
	g.wg.Done()
}

// Go runs f on a new goroutine, waiting for a slot if a limit is set.
func (g *ErrGroup) Go(f func() error) {
	if g.sem != nil {
		g.sem <- struct{}{}
	}
	g.wg.Add(1)
	go func() {
		defer g.done()
		if err := f(); err != nil {
			g.setErr(err)
		}
	}()
}

// TryGo runs f only if a slot is free.
func (g *ErrGroup) TryGo(f func() error) bool {
	if g.sem != nil {
		select {
		case g.sem <- struct{}{}:
		default:
			return false
		}
	}
	g.wg.Add(1)
	go func() {
		if err := f(); err != nil {
			g.setErr(err)
			return
		}
		if g.sem != nil {
			<-g.sem
		}
		g.wg.Done() // HAZ waitgroup-done-path
	}()
	return true
}

// GoSafe is Go with a panic in f reported as the group's error.
func (g *ErrGroup) GoSafe(f func() error) {
	g.Go(func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = &PanicError{Value: r, Stack: debug.Stack()}
			}
		}()
		return f()
	})
}

// Wait blocks until every function has returned and reports the first error.
func (g *ErrGroup) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(g.err)
	}
	return g.err
}

// ForEach runs fn for every item with at most limit in flight.
func ForEach[T any](ctx context.Context, items []T, limit int, fn func(context.Context, T) error) error {
	g, ctx := WithContext(ctx)
	g.SetLimit(limit)
	for i, it := range items {
		g.Go(func() error {
			if err := fn(ctx, it); err != nil {
				return fmt.Errorf("item %d: %w", i, err) // ok: per-iteration i, it (go1.22)
			}
			return nil
		})
	}
	return g.Wait()
}
