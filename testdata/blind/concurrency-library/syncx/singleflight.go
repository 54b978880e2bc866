// Package syncx holds small synchronisation helpers: a singleflight group,
// a cached variant of it, and an errgroup.
package syncx

import (
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// PanicError is returned to every caller of a call whose function panicked.
type PanicError struct {
	Value any
	Stack []byte
}

func (p *PanicError) Error() string { return fmt.Sprintf("syncx: panic: %v\n%s", p.Value, p.Stack) }

type call struct {
	wg   sync.WaitGroup
	val  any
	err  error
	dups int
}

// Group deduplicates concurrent calls with the same key.
type Group struct {
	mu sync.Mutex
	m  map[string]*call
}

// Do runs fn once for all concurrent callers with key.
func (g *Group) Do(key string, fn func() (any, error)) (v any, err error, shared bool) {
	g.mu.Lock()
	if g.m == nil {
		g.m = make(map[string]*call)
	}
	if c, ok := g.m[key]; ok {
		c.dups++
		g.mu.Unlock()
		c.wg.Wait()
		return c.val, c.err, true
	}
	c := new(call)
	c.wg.Add(1)
	g.m[key] = c
	g.mu.Unlock() // ok: every path unlocks before blocking or returning
	g.doCall(c, key, fn)
	return c.val, c.err, c.dups > 0
}

func (g *Group) doCall(c *call, key string, fn func() (any, error)) {
	defer func() {
		if r := recover(); r != nil {
			c.err = &PanicError{Value: r, Stack: debug.Stack()} // ok: waiters receive it as an error
		}
		g.mu.Lock()
		if g.m[key] == c {
			delete(g.m, key)
		}
		g.mu.Unlock()
		c.wg.Done()
	}()
	c.val, c.err = fn()
}

// Result is what DoChan delivers.
type Result struct {
	Val    any
	Err    error
	Shared bool
}

// DoChan is Do that returns immediately with a channel for the result.
func (g *Group) DoChan(key string, fn func() (any, error)) <-chan Result {
	ch := make(chan Result, 1)
	go func() {
		v, err, shared := g.Do(key, fn)
		ch <- Result{v, err, shared} // ok: buffered, the caller may abandon ch
	}()
	return ch
}

// Forget drops key so the next Do starts a fresh call.
func (g *Group) Forget(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.m, key)
}

type cached struct {
	val any
	exp time.Time
}

// CacheGroup is a Group whose successful results are kept for ttl.
type CacheGroup struct {
	g     Group
	mu    sync.Mutex
	cache map[string]cached
	ttl   time.Duration
}

// NewCacheGroup returns a CacheGroup.
func NewCacheGroup(ttl time.Duration) *CacheGroup {
	return &CacheGroup{cache: make(map[string]cached), ttl: ttl}
}

// Get returns key's cached value or computes it once.
func (cg *CacheGroup) Get(key string, fn func() (any, error)) (any, error) {
	now := time.Now()
	cg.mu.Lock() // HAZ lock-leaked-on-return
	if e, ok := cg.cache[key]; ok && now.Before(e.exp) {
		return e.val, nil
	}
	cg.mu.Unlock()
	v, err, _ := cg.g.Do(key, fn)
	if err != nil {
		return nil, err
	}
	cg.store(key, v)
	return v, nil
}

func (cg *CacheGroup) store(key string, v any) {
	cg.mu.Lock()
	defer cg.mu.Unlock()
	cg.cache[key] = cached{val: v, exp: time.Now().Add(cg.ttl)}
}

// Peek returns key's cached value without computing it.
func (cg *CacheGroup) Peek(key string) (any, bool) {
	cg.mu.Lock()
	defer cg.mu.Unlock()
	e, ok := cg.cache[key]
	if !ok || time.Now().After(e.exp) {
		return nil, false
	}
	return e.val, true
}

// Purge drops expired entries.
func (cg *CacheGroup) Purge() int {
	cg.mu.Lock()
	defer cg.mu.Unlock()
	n := 0
	now := time.Now()
	for k, e := range cg.cache {
		if now.After(e.exp) {
			delete(cg.cache, k)
			n++
		}
	}
	return n
}
