// Package spawn holds the small goroutine helpers used across up8.
package spawn

import (
	"log"
	"runtime/debug"
	"sync"
)

// Go runs fn in a new goroutine. It exists so that call sites read the same
// everywhere and so that tests can count launches in one place.
func Go(fn func()) {
	go fn()
}

// Safe runs fn in a new goroutine that recovers a panic and logs it with the
// stack instead of crashing the process.
func Safe(logger *log.Logger, name string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				logger.Printf("spawn %s: panic: %v\n%s", name, r, debug.Stack())
			}
		}()
		fn()
	}()
}

// Group runs goroutines and waits for all of them.
type Group struct {
	wg sync.WaitGroup
}

// Go runs fn in a new goroutine tracked by g.
func (g *Group) Go(fn func()) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		fn()
	}()
}

// Wait blocks until every goroutine started with g.Go has returned.
func (g *Group) Wait() {
	g.wg.Wait()
}
