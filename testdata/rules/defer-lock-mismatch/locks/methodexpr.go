package locks

import "sync"

type hookTable struct {
	mu    sync.RWMutex
	hooks map[string]func()
}

// Write-locked through a method expression, read-unlocked by the defer.
func (r *hookTable) reset() {
	(*sync.RWMutex).Lock(&r.mu)
	defer r.mu.RUnlock() // want `r\.mu is locked with Lock on line \d+, but the deferred r\.mu\.RUnlock\(\)`
	clear(r.hooks)
}

// Matched.
func (r *hookTable) size() int {
	(*sync.RWMutex).RLock(&r.mu)
	defer r.mu.RUnlock()
	return len(r.hooks)
}
