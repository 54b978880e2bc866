// Package lock implements a simple exclusive lock file used to keep two
// processes from owning the same data directory.
package lock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync/atomic"
)

// ErrHeld is returned by Acquire when another process holds the lock.
var ErrHeld = errors.New("lock: already held")

// FileLock is an acquired lock file.
type FileLock struct {
	path     string
	released atomic.Bool
}

// Acquire creates path exclusively and writes the current pid into it.
func Acquire(path string) (*FileLock, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrHeld, path)
		}
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(path)
		return nil, err
	}
	return &FileLock{path: path}, nil
}

// Release removes the lock file. Releasing twice is reported as an error.
func (l *FileLock) Release() error {
	if !l.released.CompareAndSwap(false, true) {
		return fmt.Errorf("lock: %s released twice", l.path)
	}
	return os.Remove(l.path)
}

// Path returns the lock file's path.
func (l *FileLock) Path() string {
	return l.path
}

// WithLock runs fn while holding the lock file at path. A failure to release
// the lock is reported together with fn's own error.
func WithLock(path string, fn func() error) (err error) {
	l, err := Acquire(path)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := l.Release(); rerr != nil {
			err = errors.Join(err, fmt.Errorf("release %s: %w", path, rerr))
		}
	}()
	return fn()
}

// TryWithLock runs fn only if the lock at path is free and reports whether
// fn ran. It is used by periodic jobs that simply skip a round when another
// process is already doing the work.
func TryWithLock(path string, fn func() error) (bool, error) {
	l, err := Acquire(path)
	if errors.Is(err, ErrHeld) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := l.Release(); err != nil {
			return fmt.Errorf("release %s: %w", path, err)
		}
		return nil
	}()
	return true, fn()
}
