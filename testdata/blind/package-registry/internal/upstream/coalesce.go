package upstream

import (
	"context"
	"fmt"
	"sync"
)

// Group coalesces concurrent fetches of the same key into one upstream
// request: the first caller runs fn, later callers wait for its result.
type Group struct {
	mu    sync.Mutex
	calls map[string]*call
}

type call struct {
	done chan struct{}
	val  []byte
	err  error
	dups int
}

// Result is what DoChan delivers.
type Result struct {
	Val    []byte
	Err    error
	Shared bool
}

// NewGroup returns an empty Group.
func NewGroup() *Group {
	return &Group{calls: make(map[string]*call)}
}

// Do runs fn once per key at a time. shared reports whether the result was
// handed to more than one caller.
func (g *Group) Do(key string, fn func() ([]byte, error)) (v []byte, shared bool, err error) {
	g.mu.Lock()
	if c, ok := g.calls[key]; ok {
		c.dups++
		g.mu.Unlock()
		<-c.done
		return c.val, true, c.err
	}
	c := &call{done: make(chan struct{})}
	g.calls[key] = c
	g.mu.Unlock()

	c.val, c.err = safeCall(fn)

	g.mu.Lock()
	if g.calls[key] == c {
		delete(g.calls, key)
	}
	shared = c.dups > 0
	g.mu.Unlock()
	close(c.done)
	return c.val, shared, c.err
}

// safeCall turns a panic in fn into an error so that waiters are released.
func safeCall(fn func() ([]byte, error)) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("upstream: fetch panicked: %v", r)
		}
	}()
	return fn()
}

// DoChan is Do with the result delivered on a channel.
func (g *Group) DoChan(key string, fn func() ([]byte, error)) <-chan Result {
	ch := make(chan Result, 1)
	go func() {
		v, shared, err := g.Do(key, fn)
		ch <- Result{Val: v, Err: err, Shared: shared}
	}()
	return ch
}

// DoContext is Do that stops waiting when ctx ends; the fetch itself goes on
// for the other waiters.
func (g *Group) DoContext(ctx context.Context, key string, fn func() ([]byte, error)) ([]byte, error) {
	select {
	case r := <-g.DoChan(key, fn):
		return r.Val, r.Err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Forget makes the next Do for key start a fresh call.
func (g *Group) Forget(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.calls, key)
}

// InFlight returns the number of keys currently being fetched.
func (g *Group) InFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.calls)
}
