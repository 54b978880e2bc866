package cache

import (
	"bytes"
	"fmt"
	"runtime/debug"
	"sync"
)

// panicError carries a panic from the leader to the waiting callers.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("%v\n\n%s", p.value, p.stack)
}

func newPanicError(v any) *panicError {
	stack := debug.Stack()
	if line := bytes.IndexByte(stack, '\n'); line >= 0 {
		stack = stack[line+1:]
	}
	return &panicError{value: v, stack: stack}
}

type call[V any] struct {
	wg    sync.WaitGroup
	val   V
	err   error
	dups  int
	chans []chan<- Result[V]
}

// Result is what DoChan delivers.
type Result[V any] struct {
	Val    V
	Err    error
	Shared bool
}

// Group suppresses duplicate concurrent calls for the same key.
type Group[V any] struct {
	mu sync.Mutex
	m  map[string]*call[V]
}

// Do runs fn once per key at a time; duplicates wait and share the result.
// A panic in fn is re-raised in every caller; DoChan callers get it as
// the Result error instead.
func (g *Group[V]) Do(key string, fn func() (V, error)) (v V, err error, shared bool) {
	g.mu.Lock()
	if g.m == nil {
		g.m = make(map[string]*call[V])
	}
	if c, ok := g.m[key]; ok {
		c.dups++
		g.mu.Unlock()
		c.wg.Wait()
		if e, ok := c.err.(*panicError); ok {
			panic(e)
		}
		return c.val, c.err, true
	}
	c := new(call[V])
	c.wg.Add(1)
	g.m[key] = c
	g.mu.Unlock()

	g.doCall(c, key, fn)
	if e, ok := c.err.(*panicError); ok {
		panic(e)
	}
	return c.val, c.err, c.dups > 0
}

// DoChan is Do with the result delivered on a channel. Every channel has
// room for its one result, so the sender never blocks on a caller that
// stopped listening.
func (g *Group[V]) DoChan(key string, fn func() (V, error)) <-chan Result[V] {
	ch := make(chan Result[V], 1)
	g.mu.Lock()
	if g.m == nil {
		g.m = make(map[string]*call[V])
	}
	if c, ok := g.m[key]; ok {
		c.dups++
		c.chans = append(c.chans, ch)
		g.mu.Unlock()
		return ch
	}
	c := &call[V]{chans: []chan<- Result[V]{ch}}
	c.wg.Add(1)
	g.m[key] = c
	g.mu.Unlock()
	go g.doCall(c, key, fn)
	return ch
}

// runCall calls fn, turning a panic into a *panicError result.
func runCall[V any](fn func() (V, error)) (v V, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = newPanicError(r)
		}
	}()
	return fn()
}

// doCall runs fn and publishes the result. Each DoChan channel has exactly
// one slot and receives exactly one value. fn must not call runtime.Goexit.
func (g *Group[V]) doCall(c *call[V], key string, fn func() (V, error)) {
	c.val, c.err = runCall(fn)
	g.mu.Lock()
	c.wg.Done()
	if g.m[key] == c {
		delete(g.m, key)
	}
	chans := c.chans
	g.mu.Unlock()
	for _, ch := range chans {
		ch <- Result[V]{c.val, c.err, c.dups > 0}
	}
}

// Forget makes the next call for key run fn again.
func (g *Group[V]) Forget(key string) {
	g.mu.Lock()
	delete(g.m, key)
	g.mu.Unlock()
}
