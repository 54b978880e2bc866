// Package keymutex provides one mutex per string key, created on demand and
// dropped when nobody holds or waits for it.
package keymutex

import "sync"

// KeyMutex serialises work on the same key while letting different keys
// proceed in parallel.
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

// Lock blocks until the lock for key is held and returns the function that
// releases it. The usual form is
//
//	defer km.Lock(key)()
func (k *KeyMutex) Lock(key string) func() {
	k.mu.Lock()
	e := k.locks[key]
	if e == nil {
		e = &entry{}
		k.locks[key] = e
	}
	e.refs++
	k.mu.Unlock()

	e.mu.Lock()
	return func() { k.release(key, e) }
}

// TryLock acquires the lock for key only if it is free.
func (k *KeyMutex) TryLock(key string) (unlock func(), ok bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e := k.locks[key]
	if e == nil {
		e = &entry{}
		k.locks[key] = e
	}
	if !e.mu.TryLock() {
		return nil, false
	}
	e.refs++
	return func() { k.release(key, e) }, true
}

// Len returns the number of keys currently locked or waited for.
func (k *KeyMutex) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.locks)
}

func (k *KeyMutex) release(key string, e *entry) {
	e.mu.Unlock()
	k.mu.Lock()
	e.refs--
	if e.refs == 0 {
		delete(k.locks, key)
	}
	k.mu.Unlock()
}
