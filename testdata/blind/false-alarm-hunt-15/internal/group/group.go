// Package group is an errgroup-like helper: run functions concurrently,
// cancel the shared context on the first error, return it from Wait.
package group

import (
	"context"
	"fmt"
	"sync"
)

// Group runs tasks and collects the first error.
type Group struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	cancel  context.CancelCauseFunc
	sem     chan struct{}
}

// WithContext returns a group and a context cancelled when a task fails
// or Wait returns.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{cancel: cancel}, ctx
}

// SetLimit bounds the number of running tasks; call before Go.
func (g *Group) SetLimit(n int) {
	if n <= 0 {
		g.sem = nil
		return
	}
	g.sem = make(chan struct{}, n)
}

func (g *Group) done() {
	if g.sem != nil {
		<-g.sem
	}
	g.wg.Done()
}

// Go runs f in a new goroutine, waiting for a slot if a limit is set.
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
					g.cancel(err)
				}
			})
		}
	}()
}

// GoSafe is Go, turning a panic in f into the group's error.
func (g *Group) GoSafe(f func() error) {
	g.Go(func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("group: task panicked: %v", r)
			}
		}()
		return f()
	})
}

// Wait blocks until all tasks return and reports the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(g.err)
	}
	return g.err
}
