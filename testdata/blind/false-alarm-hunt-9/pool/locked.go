package pool

import "sync"

// RLocker is satisfied by *sync.RWMutex.
type RLocker interface {
	sync.Locker
	RLock()
	RUnlock()
}

// WithLock runs fn while holding l.
func WithLock[L sync.Locker](l L, fn func()) {
	l.Lock()
	defer l.Unlock()
	fn()
}

// WithRLock runs fn while holding l for reading.
func WithRLock[L RLocker](l L, fn func()) {
	l.RLock()
	defer l.RUnlock()
	fn()
}

// Guarded is a value protected by a lock of the caller's choice.
type Guarded[T any, L sync.Locker] struct {
	mu  L
	val T
}

// NewGuarded returns v guarded by a fresh *sync.Mutex.
func NewGuarded[T any](v T) *Guarded[T, *sync.Mutex] {
	return &Guarded[T, *sync.Mutex]{mu: new(sync.Mutex), val: v}
}

// Update replaces the value with fn(old); fn must not use g.
func (g *Guarded[T, L]) Update(fn func(T) T) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.val = fn(g.val)
}

// Load returns the current value.
func (g *Guarded[T, L]) Load() T {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.val
}
