package pool

import (
	"context"
	"sync"
)

// Gate blocks waiters until it is opened.
type Gate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

// NewGate returns a closed gate.
func NewGate() *Gate {
	g := &Gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// Wait blocks until the gate is open or ctx ends.
func (g *Gate) Wait(ctx context.Context) error {
	// Wake the waiters when ctx ends; runs on its own goroutine, so taking
	// g.mu there does not re-enter the lock held below.
	stop := context.AfterFunc(ctx, func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.cond.Broadcast()
	})
	defer stop()

	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.open {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.cond.Wait()
	}
	return nil
}

// Open releases all current and future waiters.
func (g *Gate) Open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open = true
	g.cond.Broadcast()
}

// IsOpen reports whether Open has been called.
func (g *Gate) IsOpen() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.open
}
