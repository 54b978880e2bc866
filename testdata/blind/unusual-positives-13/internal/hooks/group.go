package hooks

import (
	"errors"
	"sync"
)

// Group runs hook bodies concurrently and collects their errors.
type Group struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

// Go runs fn in its own goroutine.
func (g *Group) Go(fn Hook) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		defer g.absorb()
		if err := fn(); err != nil {
			g.add(err)
		}
	}()
}

// absorb keeps a panicking hook from killing the process.
func (g *Group) absorb() {
	recover() // HAZ recover-swallows-panic
}

// add records err.
func (g *Group) add(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.errs = append(g.errs, err)
}

// Wait waits for every hook and joins their errors.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return errors.Join(g.errs...)
}
