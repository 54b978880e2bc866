package scraper

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// Group runs a set of goroutines working on parts of one task and collects
// the first error, cancelling the shared context when that happens. It is
// a small hand-written errgroup with an optional concurrency limit.
type Group struct {
	wg      sync.WaitGroup
	sem     chan struct{}
	cancel  context.CancelCauseFunc
	errOnce sync.Once
	err     error
}

// WithContext returns a Group whose derived context is cancelled by the first
// failing function or by Wait. limit <= 0 means no limit.
func WithContext(ctx context.Context, limit int) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	g := &Group{cancel: cancel}
	if limit > 0 {
		g.sem = make(chan struct{}, limit)
	}
	return g, ctx
}

func (g *Group) setErr(err error) {
	g.errOnce.Do(func() {
		g.err = err
		if g.cancel != nil {
			g.cancel(err)
		}
	})
}

func (g *Group) done() {
	if g.sem != nil {
		<-g.sem // ok: the caller holds a token, this never blocks
	}
	g.wg.Done()
}

// Go runs f in a new goroutine, blocking first while the limit is reached.
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

// TryGo is Go that gives up instead of blocking when the limit is reached.
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

// Wait blocks until all functions have returned and reports the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(g.err)
	}
	return g.err
}

// GoSafe is Go for callbacks supplied by exporter plugins: a panic in f is
// turned into the group's error instead of crashing the scraper.
func (g *Group) GoSafe(name string, f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer func() { g.capturePanic(name) }()
		if err := f(); err != nil {
			g.setErr(err)
		}
	}()
}

// capturePanic converts a plugin panic into the group's error.
func (g *Group) capturePanic(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		g.setErr(fmt.Errorf("plugin %s panicked: %v", name, r))
	}
}

// GoRecover is the variant used for built-in collectors: the panic is
// recorded with its stack.
func (g *Group) GoRecover(name string, f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer g.recoverTo(name) // ok: recoverTo is the deferred function and calls recover itself
		if err := f(); err != nil {
			g.setErr(err)
		}
	}()
}

func (g *Group) recoverTo(name string) {
	if r := recover(); r != nil {
		g.setErr(fmt.Errorf("collector %s panicked: %v\n%s", name, r, debug.Stack()))
	}
}
