// Package pidfile writes pid files for daemons and simple O_EXCL lock files
// for tools that must not run twice on the same output.
package pidfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrLocked means another live process holds the file.
var ErrLocked = errors.New("pidfile: held by another process")

// File is a pid file written by this process.
type File struct {
	path string
	pid  int
}

var (
	activeMu sync.Mutex
	active   = map[string]*File{}
)

// Write creates path holding the current pid. A file left behind by a
// process that no longer exists is replaced.
func Write(path string) (*File, error) {
	if err := removeStale(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, err
	}
	defer f.Close() // ok: the success path closes again and checks the error
	pid := os.Getpid()
	if _, err := fmt.Fprintf(f, "%d\n", pid); err != nil {
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	pf := &File{path: path, pid: pid}
	if err := register(pf); err != nil {
		os.Remove(path)
		return nil, err
	}
	return pf, nil
}

func register(pf *File) error {
	activeMu.Lock() // HAZ lock-leaked-on-return
	if _, dup := active[pf.path]; dup {
		return fmt.Errorf("pidfile %s already registered by this process", pf.path)
	}
	active[pf.path] = pf
	activeMu.Unlock()
	return nil
}

func unregister(path string) {
	activeMu.Lock()
	defer activeMu.Unlock()
	delete(active, path)
}

// Active returns the paths of pid files this process currently holds.
func Active() []string {
	activeMu.Lock()
	defer activeMu.Unlock()
	out := make([]string, 0, len(active))
	for p := range active {
		out = append(out, p)
	}
	return out
}

// Path returns the file's path.
func (f *File) Path() string { return f.path }

// Remove deletes the pid file if it still holds our pid.
func (f *File) Remove() error {
	unregister(f.path)
	pid, err := Read(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if pid != f.pid {
		return fmt.Errorf("pidfile %s now belongs to pid %d, leaving it", f.path, pid)
	}
	return os.Remove(f.path)
}

// Read returns the pid stored in path.
func Read(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("pidfile %s: %w", path, err)
	}
	return pid, nil
}

// Alive reports whether a process with pid exists.
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func removeStale(path string) error {
	pid, err := Read(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		// Empty or partial content: the owner may be writing it right now.
		return nil
	case Alive(pid):
		return nil // the O_EXCL create reports ErrLocked
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Lock is an O_EXCL lock file.
type Lock struct {
	path string
}

// Acquire creates the lock file or fails with ErrLocked.
func Acquire(path string) (*Lock, error) {
	if err := removeStale(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &Lock{path: path}, nil
}

// AcquireWait retries Acquire until it succeeds or wait has passed.
func AcquireWait(path string, wait time.Duration) (*Lock, error) {
	deadline := time.Now().Add(wait)
	for {
		l, err := Acquire(path)
		if err == nil || !errors.Is(err, ErrLocked) || time.Now().After(deadline) {
			return l, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Release removes the lock file.
func (l *Lock) Release() error {
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
