// Package keylock serialises work per key without one global lock.
package keylock

import "sync"

// KeyMutex hands out one mutex per key and forgets keys nobody holds.
type KeyMutex struct {
	mu    sync.Mutex
	locks map[string]*entry
}

type entry struct {
	mu   sync.Mutex
	refs int
}

// New returns an empty KeyMutex.
func New() *KeyMutex {
	return &KeyMutex{locks: make(map[string]*entry)}
}

// Lock locks key and returns the function that unlocks it, so callers write
//
//	defer km.Lock(key)()
//
// The per-key mutex is intentionally still held when Lock returns.
func (km *KeyMutex) Lock(key string) func() {
	km.mu.Lock()
	e, ok := km.locks[key]
	if !ok {
		e = &entry{}
		km.locks[key] = e
	}
	e.refs++
	km.mu.Unlock()

	e.mu.Lock()
	return func() { km.release(key, e) }
}

// TryLock is Lock without waiting; ok is false when another caller holds key.
func (km *KeyMutex) TryLock(key string) (unlock func(), ok bool) {
	km.mu.Lock()
	defer km.mu.Unlock()
	e, found := km.locks[key]
	if !found {
		e = &entry{}
		km.locks[key] = e
	}
	if !e.mu.TryLock() {
		if !found {
			delete(km.locks, key)
		}
		return nil, false
	}
	e.refs++
	return func() { km.release(key, e) }, true
}

func (km *KeyMutex) release(key string, e *entry) {
	e.mu.Unlock()
	km.mu.Lock()
	defer km.mu.Unlock()
	e.refs--
	if e.refs == 0 {
		delete(km.locks, key)
	}
}

// Held returns how many keys are currently locked or waited for.
func (km *KeyMutex) Held() int {
	km.mu.Lock()
	defer km.mu.Unlock()
	return len(km.locks)
}
