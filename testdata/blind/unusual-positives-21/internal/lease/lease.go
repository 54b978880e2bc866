// Package lease implements the directory lease that keeps two cache
// processes from maintaining the same directory at once.
package lease

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

const lockName = ".up21.lock"

// Lease is an exclusive claim on a cache directory, held as a lock file.
type Lease struct {
	path string
	f    *os.File
}

// Acquire creates the lock file in dir, failing if another process holds it.
func Acquire(dir string) (*Lease, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lease: %s is held: %w", path, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		return nil, errors.Join(err, f.Close(), os.Remove(path))
	}
	if err := f.Sync(); err != nil {
		return nil, errors.Join(err, f.Close(), os.Remove(path))
	}
	return &Lease{path: path, f: f}, nil
}

// Release closes and removes the lock file. A lease left behind blocks every
// later maintenance run until an operator removes it.
func (l *Lease) Release() error {
	return errors.Join(l.f.Close(), os.Remove(l.path))
}

// Path returns the lock file's path.
func (l *Lease) Path() string { return l.path }

// WithLease runs fn while holding the lease on dir and reports a failed
// release.
func WithLease(dir string, fn func() error) error {
	l, err := Acquire(dir)
	if err != nil {
		return err
	}
	var runErr error
	defer func() { // HAZ defer-ineffective-return
		if rerr := l.Release(); rerr != nil && runErr == nil {
			runErr = rerr
		}
	}()
	runErr = fn()
	return runErr
}

// WithLeaseNamed is WithLease with a named result, so the release error
// reaches the caller.
func WithLeaseNamed(dir string, fn func() error) (err error) {
	l, err := Acquire(dir)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := l.Release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return fn()
}
