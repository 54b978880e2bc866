package locks

import "sync"

type board struct {
	mu     sync.RWMutex
	states map[string]int
}

// The unlock is taken as a method value before the read lock: the deferred call is Unlock.
func (b *board) ids() []string {
	unlock := b.mu.Unlock
	b.mu.RLock()
	defer unlock() // want `b\.mu is read-locked with RLock on line \d+, but the deferred unlock\(\)`
	out := make([]string, 0, len(b.states))
	for id := range b.states {
		out = append(out, id)
	}
	return out
}

// The matching method value: no finding.
func (b *board) count() int {
	unlock := b.mu.RUnlock
	b.mu.RLock()
	defer unlock()
	return len(b.states)
}

// The variable is given the right method before the defer: not followed. No finding.
func (b *board) size(write bool) int {
	unlock := b.mu.Unlock
	if !write {
		unlock = b.mu.RUnlock
	}
	b.mu.RLock()
	defer unlock()
	return len(b.states)
}
