// Package leases hands out exclusive leases on keys.
package leases

import (
	"errors"
	"sync"
)

// ErrHeld is returned when someone else holds the key.
var ErrHeld = errors.New("leases: held")

// Manager hands out leases; a disabled manager hands out none.
type Manager struct {
	Disabled bool
	mu       sync.Mutex
	held     map[string]bool
}

// Acquire takes the lease on key; release gives it back. A disabled manager returns no release
// func and no error.
func (m *Manager) Acquire(key string) (release func(), err error) {
	if m.Disabled {
		return nil, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.held[key] {
		return nil, ErrHeld
	}
	m.held[key] = true
	return func() {
		m.mu.Lock()
		delete(m.held, key)
		m.mu.Unlock()
	}, nil
}

// AcquireOrNoop is Acquire with a no-op release when disabled.
func (m *Manager) AcquireOrNoop(key string) (func(), error) {
	if m.Disabled {
		return func() {}, nil
	}
	return m.Acquire(key)
}
