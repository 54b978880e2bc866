package state

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrLocked is returned when another process holds the lock.
var ErrLocked = errors.New("state: lock is held by another process")

// LockFile is an flock(2) based advisory lock on a file in the state
// directory. The kernel drops the lock when the process dies.
type LockFile struct {
	path string
	f    *os.File
}

// AcquireLock takes an exclusive, non-blocking lock on path.
func AcquireLock(path string) (*LockFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("flock %s: %w", path, err)
	}
	return &LockFile{path: path, f: f}, nil
}

// Release drops the lock and closes the file.
func (l *LockFile) Release() error {
	uerr := syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	return errors.Join(uerr, l.f.Close())
}

// WithLock runs fn while holding the lock on path.
func WithLock(path string, fn func() error) (err error) {
	l, err := AcquireLock(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, l.Release()) }()
	return fn()
}
