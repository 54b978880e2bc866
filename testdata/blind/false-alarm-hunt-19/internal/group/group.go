// Package group runs a set of goroutines working on subtasks of a common
// task. The first error cancels the shared context and is returned by Wait.
package group

import (
	"context"
	"fmt"
	"sync"
)

// A Group is a collection of goroutines. A zero Group is valid, has no limit
// on active goroutines and does not cancel on error.
type Group struct {
	cancel func(error)

	wg  sync.WaitGroup
	sem chan struct{}

	errOnce sync.Once
	err     error
}

// WithContext returns a new Group and a derived context that is canceled the
// first time a function passed to Go returns an error, or when Wait returns.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{cancel: cancel}, ctx
}

// SetLimit limits the number of active goroutines to n; a negative n removes
// the limit. It must not be called while goroutines are active.
func (g *Group) SetLimit(n int) {
	if n < 0 {
		g.sem = nil
		return
	}
	if len(g.sem) != 0 {
		panic(fmt.Errorf("group: modify limit while %d goroutines are still active", len(g.sem)))
	}
	g.sem = make(chan struct{}, n)
}

// Go calls f in a new goroutine, blocking until a slot is free if a limit
// is set.
func (g *Group) Go(f func() error) {
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

// TryGo calls f in a new goroutine only if a slot is free right now, and
// reports whether it did.
func (g *Group) TryGo(f func() error) bool {
	if g.sem != nil {
		select {
		case g.sem <- struct{}{}:
		default:
			return false
		}
	}
	g.wg.Add(1)
	go func() {
		defer g.done()
		if err := f(); err != nil {
			g.setErr(err)
		}
	}()
	return true
}

// done gives back the slot taken by Go or TryGo and marks the goroutine
// finished. The slot was acquired by this very goroutine's launch, so the
// receive is always immediately ready.
func (g *Group) done() {
	if g.sem != nil {
		<-g.sem
	}
	g.wg.Done()
}

func (g *Group) setErr(err error) {
	g.errOnce.Do(func() {
		g.err = err
		if g.cancel != nil {
			g.cancel(err)
		}
	})
}

// Wait blocks until every goroutine started with Go has returned, then
// returns the first non-nil error, if any.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(g.err)
	}
	return g.err
}
