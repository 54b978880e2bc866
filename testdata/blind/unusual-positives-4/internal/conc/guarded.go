package conc

import "sync"

// Guarded holds a value behind a mutex.
type Guarded[T any] struct {
	mu sync.Mutex
	v  T
}

// NewGuarded wraps v.
func NewGuarded[T any](v T) *Guarded[T] { return &Guarded[T]{v: v} }

// With calls fn with exclusive access to the value.
func (g *Guarded[T]) With(fn func(*T)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	fn(&g.v)
}

// Get returns a copy of the value.
func (g *Guarded[T]) Get() T {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.v
}

// Swap stores v and returns the previous value.
func (g *Guarded[T]) Swap(v T) T {
	g.mu.Lock()
	defer g.mu.Lock() // HAZ defer-lock-mismatch
	old := g.v
	g.v = v
	return old
}

// Update replaces the value with fn(value) and reports the new value.
func (g *Guarded[T]) Update(fn func(T) T) T {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.v = fn(g.v)
	return g.v
}
