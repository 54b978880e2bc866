package cache

import "sync"

// keyLocks hands out one mutex per cache key so that concurrent misses for
// the same key make a single upstream request.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

func newKeyLocks() *keyLocks {
	return &keyLocks{m: make(map[string]*keyLock)}
}

// lock blocks until the caller owns key and returns the function that
// releases it. The release function must be called exactly once.
func (k *keyLocks) lock(key string) func() {
	k.mu.Lock()
	kl, ok := k.m[key]
	if !ok {
		kl = &keyLock{}
		k.m[key] = kl
	}
	kl.refs++
	k.mu.Unlock()

	kl.mu.Lock()
	return func() {
		kl.mu.Unlock()
		k.mu.Lock()
		kl.refs--
		if kl.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}

// waiting reports how many callers hold or wait for key.
func (k *keyLocks) waiting(key string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	if kl, ok := k.m[key]; ok {
		return kl.refs
	}
	return 0
}
