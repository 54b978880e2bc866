// Package lockfile implements advisory PID lock files used by the tools to
// keep two instances from touching the same repository or cache.
package lockfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// ErrLocked is returned when another process holds the lock.
var ErrLocked = errors.New("lockfile: already locked")

// Lock is a held lock file.
type Lock struct {
	path string
	f    *os.File
}

// Acquire creates path exclusively and writes the current PID into it.
func Acquire(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &Lock{path: path, f: f}, nil
}

// AcquireWait retries Acquire until timeout, polling every poll interval.
func AcquireWait(path string, timeout, poll time.Duration) (*Lock, error) {
	deadline := time.Now().Add(timeout)
	for {
		l, err := Acquire(path)
		if err == nil {
			return l, nil
		}
		if !errors.Is(err, ErrLocked) || time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(poll)
	}
}

// Path returns the lock file path.
func (l *Lock) Path() string { return l.path }

// Release closes and removes the lock file. Releasing twice is harmless.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	cerr := l.f.Close()
	rerr := os.Remove(l.path)
	l.f = nil
	return errors.Join(cerr, rerr)
}

// Owner returns the PID recorded in the lock file at path.
func Owner(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		return 0, fmt.Errorf("lockfile: %s: bad pid: %w", path, err)
	}
	return pid, nil
}

// IsStale reports whether the lock at path is older than maxAge.
func IsStale(path string, maxAge time.Duration) (bool, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, err
	}
	return time.Since(fi.ModTime()) > maxAge, nil
}

// BreakStale removes a stale lock so that Acquire can succeed.
func BreakStale(path string, maxAge time.Duration) (bool, error) {
	stale, err := IsStale(path, maxAge)
	if err != nil || !stale {
		return false, err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return true, nil
}
