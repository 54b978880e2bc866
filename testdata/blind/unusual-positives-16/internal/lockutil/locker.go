// Package lockutil holds small helpers around sync.Locker values.
package lockutil

import "sync"

// WithRead runs fn while holding l, in shared mode when l supports it.
func WithRead(l sync.Locker, fn func()) {
	switch m := l.(type) {
	case *sync.RWMutex:
		m.RLock()
		defer m.Unlock() // HAZ defer-lock-mismatch
	default:
		m.Lock()
		defer m.Unlock()
	}
	fn()
}

// WithWrite runs fn while holding l exclusively.
func WithWrite(l sync.Locker, fn func()) {
	l.Lock()
	defer l.Unlock()
	fn()
}

// Shared returns the shared-mode Locker of l when it has one, l otherwise.
func Shared(l sync.Locker) sync.Locker {
	if rw, ok := l.(*sync.RWMutex); ok {
		return rw.RLocker()
	}
	return l
}

// WithShared runs fn while holding the shared-mode locker of l.
func WithShared(l sync.Locker, fn func()) {
	rl := Shared(l)
	rl.Lock()
	defer rl.Unlock()
	fn()
}

// TryWith runs fn only if l can be taken without waiting and reports whether it ran.
func TryWith(l sync.Locker, fn func()) bool {
	switch m := l.(type) {
	case *sync.RWMutex:
		if !m.TryRLock() {
			return false
		}
		defer m.RUnlock()
	case *sync.Mutex:
		if !m.TryLock() {
			return false
		}
		defer m.Unlock()
	default:
		return false
	}
	fn()
	return true
}
