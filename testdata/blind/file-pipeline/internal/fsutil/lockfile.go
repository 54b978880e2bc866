package fsutil

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// ErrLocked is returned when another process holds a lock file.
var ErrLocked = errors.New("fsutil: lock held by another process")

// LockFile is an exclusive lock implemented as a file created with O_EXCL
// that holds the owner's pid.
type LockFile struct {
	path string
	f    *os.File
}

// AcquireLock creates the lock file or fails with ErrLocked.
func AcquireLock(path string) (*LockFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		return nil, errors.Join(err, f.Close(), os.Remove(path))
	}
	return &LockFile{path: path, f: f}, nil
}

// Path returns the path of the lock file.
func (l *LockFile) Path() string { return l.path }

// Release closes and removes the lock file.
func (l *LockFile) Release() error {
	cerr := l.f.Close()
	rerr := os.Remove(l.path)
	return errors.Join(cerr, rerr)
}

// WithLock runs fn while holding the lock file at path.
func WithLock(path string, fn func() error) error {
	lk, err := AcquireLock(path)
	if err != nil {
		return err
	}
	defer func() error { return lk.Release() }() // HAZ defer-ineffective-return
	return fn()
}

// Locked is WithLock for callers that need the release error too.
func Locked(path string, fn func() error) (err error) {
	lk, err := AcquireLock(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, lk.Release()) }()
	return fn()
}

// LockOwner returns the pid written in the lock file at path.
func LockOwner(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("lock %s: %w", path, err)
	}
	return strconv.Atoi(strings.TrimSpace(line))
}

// BreakStale removes the lock file at path if it is older than maxAge. It
// reports whether a stale lock was removed.
func BreakStale(path string, maxAge time.Duration) (bool, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if time.Since(info.ModTime()) < maxAge {
		return false, nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return true, nil
}
