// Package lockfile implements advisory lock files and pid files used by the
// cron jobs and daemons in this repository so that two copies of the same job
// never run at once.
package lockfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrLocked is returned when another live process holds the lock.
var ErrLocked = errors.New("lockfile: already locked")

// Lock is a held lock file.
type Lock struct {
	path string
	pid  int
}

// Path returns the lock file path.
func (l *Lock) Path() string { return l.path }

// PID returns the pid written into the lock file.
func (l *Lock) PID() int { return l.pid }

// Acquire creates path exclusively and writes the current pid into it.
func Acquire(path string) (l *Lock, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lockfile: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("lockfile: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("lockfile: close: %w", cerr)
		}
		if err != nil {
			_ = os.Remove(path)
			l = nil
		}
	}()
	pid := os.Getpid()
	if _, werr := fmt.Fprintf(f, "%d\n", pid); werr != nil {
		return nil, fmt.Errorf("lockfile: write pid: %w", werr)
	}
	return &Lock{path: path, pid: pid}, nil
}

// Release removes the lock file. It is safe to call on a nil lock.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	owner, err := ReadPID(l.path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	if owner != l.pid {
		return fmt.Errorf("lockfile: %s now owned by pid %d", l.path, owner)
	}
	return os.Remove(l.path)
}

// ReadPID reads the pid recorded in a lock or pid file. The file is opened
// read-only, so the deferred Close has nothing to lose.
func ReadPID(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 32)
	n, err := f.Read(buf)
	if err != nil {
		return 0, fmt.Errorf("lockfile: read %s: %w", path, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil {
		return 0, fmt.Errorf("lockfile: bad pid in %s: %w", path, err)
	}
	return pid, nil
}

// Alive reports whether a process with the given pid exists.
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// AcquireStale acquires path, breaking the lock if its owner is dead.
func AcquireStale(path string) (*Lock, error) {
	l, err := Acquire(path)
	if !errors.Is(err, ErrLocked) {
		return l, err
	}
	pid, rerr := ReadPID(path)
	if rerr == nil && Alive(pid) {
		return nil, fmt.Errorf("%w by pid %d", ErrLocked, pid)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("lockfile: break stale lock: %w", err)
	}
	return Acquire(path)
}

// AcquireWait retries AcquireStale until it succeeds or the timeout passes.
func AcquireWait(path string, timeout, every time.Duration) (*Lock, error) {
	deadline := time.Now().Add(timeout)
	for {
		l, err := AcquireStale(path)
		if err == nil {
			return l, nil
		}
		if !errors.Is(err, ErrLocked) || time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(every)
	}
}

// WritePIDFile writes the pid of the current process to path atomically.
func WritePIDFile(path string) error {
	tmp := path + ".tmp"
	data := []byte(strconv.Itoa(os.Getpid()) + "\n")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// RemovePIDFile removes path if it still names the current process.
func RemovePIDFile(path string) {
	pid, err := ReadPID(path)
	if err != nil || pid != os.Getpid() {
		return
	}
	_ = os.Remove(path)
}

// WithLock runs fn while holding the lock at path. The lock is released even
// if fn panics, and the release error is reported when fn succeeded.
func WithLock(path string, fn func() error) (err error) {
	l, err := AcquireStale(path)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, l.Release())
	}()
	return fn()
}
