package group

import (
	"context"
	"sync"
)

// Pool feeds items of type T to a fixed set of workers.
type Pool[T any] struct {
	handle func(T)
	in     chan T
	wg     sync.WaitGroup
}

// NewPool returns a pool whose queue holds up to queue items.
func NewPool[T any](queue int, handle func(T)) *Pool[T] {
	return &Pool[T]{handle: handle, in: make(chan T, queue)}
}

// Start launches n workers.
func (p *Pool[T]) Start(n int) {
	for range n {
		p.wg.Add(1)
		go p.worker()
	}
}

func (p *Pool[T]) worker() {
	defer p.wg.Done()
	for item := range p.in {
		p.process(item)
	}
}

func (p *Pool[T]) process(item T) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep the worker alive: one bad item must not take the pool down
		}
	}()
	p.handle(item)
}

// Submit queues item, giving up when ctx ends.
func (p *Pool[T]) Submit(ctx context.Context, item T) error {
	select {
	case p.in <- item:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting items and waits for the workers to drain the queue.
func (p *Pool[T]) Close() {
	close(p.in)
	p.wg.Wait()
}
