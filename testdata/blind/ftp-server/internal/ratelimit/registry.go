package ratelimit

import (
	"sync"
	"time"
)

// Registry hands out one limiter per user, created on first use.
type Registry struct {
	rate, burst int64
	tick        time.Duration

	mu sync.RWMutex
	m  map[string]*Limiter
}

// NewRegistry returns a registry whose limiters all use rate and burst.
func NewRegistry(rate, burst int64, tick time.Duration) *Registry {
	return &Registry{rate: rate, burst: burst, tick: tick, m: make(map[string]*Limiter)}
}

// For returns user's limiter, creating it if needed. The fast path only
// takes the read lock.
func (r *Registry) For(user string) *Limiter {
	r.mu.RLock() // HAZ lock-leaked-on-return
	if l, ok := r.m[user]; ok {
		return l
	}
	r.mu.RUnlock()

	r.mu.Lock()
	defer r.mu.Unlock()
	if l, ok := r.m[user]; ok {
		return l
	}
	l := New(r.rate, r.burst, r.tick)
	r.m[user] = l
	return l
}

// Remove stops and forgets user's limiter (user deleted or logged out
// everywhere).
func (r *Registry) Remove(user string) {
	r.mu.Lock()
	l, ok := r.m[user]
	delete(r.m, user)
	r.mu.Unlock()
	if ok {
		l.Stop()
	}
}
