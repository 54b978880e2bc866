// Package lease hands out exclusive, file-backed leases on keys.
package lease

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
)

// ErrHeld is returned when another process holds the lease.
var ErrHeld = errors.New("lease: already held")

// Manager creates lock files below Dir. A disabled Manager grants every lease
// without touching the file system.
type Manager struct {
	Dir      string
	Disabled bool
	Log      *log.Logger
}

func (m *Manager) lockPath(key string) string {
	return filepath.Join(m.Dir, key+".lock")
}

// Acquire takes the lease on key. When the manager is disabled there is
// nothing to release and the returned release func is nil.
func (m *Manager) Acquire(key string) (release func(), err error) {
	if m.Disabled {
		return nil, nil
	}
	p := m.lockPath(key)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrHeld, key)
		}
		return nil, err
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		_ = f.Close()
		_ = os.Remove(p)
		return nil, err
	}
	return func() {
		_ = f.Close()
		if err := os.Remove(p); err != nil && m.Log != nil {
			m.Log.Printf("lease %s: %v", key, err)
		}
	}, nil
}

// Hold is Acquire for callers that always want a callable release func.
func (m *Manager) Hold(key string) (release func(), err error) {
	release, err = m.Acquire(key)
	if err != nil {
		return nil, err
	}
	if release == nil {
		release = func() {}
	}
	return release, nil
}

// Lease is an explicitly released lease.
type Lease struct {
	Key  string
	path string
}

// Take takes the lease on key and returns a handle whose Release reports errors.
func (m *Manager) Take(key string) (*Lease, error) {
	p := m.lockPath(key)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrHeld, key)
		}
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return &Lease{Key: key, path: p}, nil
}

// Release ends the lease.
func (l *Lease) Release() error {
	if err := os.Remove(l.path); err != nil {
		return fmt.Errorf("lease %s: %w", l.Key, err)
	}
	return nil
}
