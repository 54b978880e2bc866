// Package syncx holds small concurrency helpers shared by the services.
package syncx

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// PanicError wraps a value recovered from a panic together with its stack.
type PanicError struct {
	Value any
	Stack []byte
}

func (p *PanicError) Error() string {
	return fmt.Sprintf("panic: %v\n%s", p.Value, p.Stack)
}

// Unwrap lets errors.Is and errors.As look through panics that carried an error.
func (p *PanicError) Unwrap() error {
	if err, ok := p.Value.(error); ok {
		return err
	}
	return nil
}

// Group runs goroutines and keeps the first error, in the style of errgroup.
type Group struct {
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	sem     chan struct{}
}

// WithContext returns a Group whose context is cancelled by the first error.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// SetLimit bounds the number of goroutines running at once. It must be
// called before the first Go.
func (g *Group) SetLimit(n int) {
	if n <= 0 {
		g.sem = nil
		return
	}
	g.sem = make(chan struct{}, n)
}

// Go runs fn in a new goroutine. A panic in fn becomes the group's error.
func (g *Group) Go(fn func() error) {
	if g.sem != nil {
		g.sem <- struct{}{}
	}
	g.wg.Add(1)
	go func() {
		defer g.done()
		if err := CatchPanic(fn); err != nil {
			g.setErr(err)
		}
	}()
}

func (g *Group) done() {
	if g.sem != nil {
		// A token is always present: Go put it there before starting us.
		select {
		case <-g.sem:
		default:
		}
	}
	g.wg.Done()
}

func (g *Group) setErr(err error) {
	g.errOnce.Do(func() {
		g.err = err
		if g.cancel != nil {
			g.cancel()
		}
	})
}

// Wait blocks until every goroutine started by Go has returned.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// CatchPanic runs fn and converts a panic into a *PanicError.
func CatchPanic(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn()
}

// GoSafe starts fn in a goroutine that logs, instead of crashing on, a panic.
func GoSafe(logf func(format string, args ...any), fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				logf("syncx: recovered goroutine panic: %v\n%s", r, debug.Stack())
			}
		}()
		fn()
	}()
}
