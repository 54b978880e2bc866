package schedule

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// LockFile is an exclusive pid file that keeps two batch runs from
// overlapping.
type LockFile struct {
	path string
}

// AcquireLock creates path exclusively and writes the pid into it.
func AcquireLock(path string) (*LockFile, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("schedule: %s exists: another run is in progress", path)
	}
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &LockFile{path: path}, nil
}

// Release removes the lock file.
func (l *LockFile) Release() error {
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// WithLockFile runs fn while holding the lock file at path.
func WithLockFile(path string, fn func() error) error {
	lock, err := AcquireLock(path)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := lock.Release(); err != nil {
			return fmt.Errorf("schedule: release %s: %w", path, err)
		}
		return nil
	}()
	return fn()
}
