package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrClosed is returned by a Group after Close.
var ErrClosed = errors.New("cache: group closed")

type call[V any] struct {
	done chan struct{}
	val  V
	err  error
}

// Group deduplicates concurrent loads of the same key.
type Group[K comparable, V any] struct {
	mu     sync.Mutex
	calls  map[K]*call[V]
	closed bool
}

// Do runs fn once per key among concurrent callers and shares the result.
func (g *Group[K, V]) Do(ctx context.Context, k K, fn func(context.Context) (V, error)) (V, error) {
	g.mu.Lock() // HAZ lock-leaked-on-return
	if g.closed {
		panic(fmt.Sprintf("cache: Do(%v) on closed Group", k))
	}
	if g.calls == nil {
		g.calls = make(map[K]*call[V])
	}
	if c, ok := g.calls[k]; ok {
		g.mu.Unlock()
		return g.wait(ctx, c)
	}
	c := &call[V]{done: make(chan struct{})}
	g.calls[k] = c
	g.mu.Unlock()

	// The load must not be cancelled by the first caller giving up.
	go g.run(context.WithoutCancel(ctx), k, c, fn)
	return g.wait(ctx, c)
}

// TryDo is Do that reports ErrClosed instead of panicking.
func (g *Group[K, V]) TryDo(ctx context.Context, k K, fn func(context.Context) (V, error)) (V, error) {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		var zero V
		return zero, ErrClosed
	}
	g.mu.Unlock()
	return g.Do(ctx, k, fn)
}

func (g *Group[K, V]) run(ctx context.Context, k K, c *call[V], fn func(context.Context) (V, error)) {
	defer func() {
		if r := recover(); r != nil {
			c.err = fmt.Errorf("cache: loader for %v panicked: %v", k, r)
		}
		g.mu.Lock()
		delete(g.calls, k)
		g.mu.Unlock()
		close(c.done)
	}()
	c.val, c.err = fn(ctx)
}

func (g *Group[K, V]) wait(ctx context.Context, c *call[V]) (V, error) {
	select {
	case <-c.done:
		return c.val, c.err
	case <-ctx.Done():
		var zero V
		return zero, context.Cause(ctx)
	}
}

// Close rejects further Do calls.
func (g *Group[K, V]) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
}

// Inflight reports the number of running loads.
func (g *Group[K, V]) Inflight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.calls)
}

// Lazy is a value computed once, on first use.
type Lazy[V any] struct {
	get func() (V, error)
}

// NewLazy wraps load with sync.OnceValues.
func NewLazy[V any](load func() (V, error)) *Lazy[V] {
	return &Lazy[V]{get: sync.OnceValues(load)}
}

// Get returns the loaded value, loading on first call.
func (l *Lazy[V]) Get() (V, error) { return l.get() }

// MustGet panics if the load failed.
func (l *Lazy[V]) MustGet() V {
	v, err := l.get()
	if err != nil {
		panic(err)
	}
	return v
}

// Warm loads every key through the LRU, collecting the errors.
func Warm[K comparable, V any](c *LRU[K, V], keys []K, load func(K) (V, error)) error {
	var errs []error
	for _, k := range keys {
		if _, err := c.GetOrCompute(k, load); err != nil {
			errs = append(errs, fmt.Errorf("warm %v: %w", k, err))
		}
	}
	return errors.Join(errs...)
}
