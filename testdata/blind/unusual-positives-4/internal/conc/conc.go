// Package conc holds the small concurrency helpers shared by the runner.
package conc

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Go starts fn on a new goroutine. Call sites use it instead of a bare go
// statement so that goroutine labels can be attached in one place later.
func Go(fn func()) {
	go fn()
}

// Group runs functions on goroutines, turning panics into errors and keeping
// the first error.
type Group struct {
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

// GoSafe runs fn on a new goroutine; a panic in fn becomes the group's error.
func (g *Group) GoSafe(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer func() {
			if r := recover(); r != nil {
				g.setErr(fmt.Errorf("conc: panic: %v\n%s", r, debug.Stack()))
			}
		}()
		if err := fn(); err != nil {
			g.setErr(err)
		}
	}()
}

func (g *Group) setErr(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err == nil {
		g.err = err
	}
}

// Wait blocks until every function started by GoSafe has returned and
// reports the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}
