// Package scratch manages the per-job temporary workspaces the encoders write
// intermediate files into, and the sweeper that removes abandoned ones.
package scratch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// Workspace is a temporary directory owned by one job.
type Workspace struct {
	Dir string

	mu      sync.Mutex
	files   []string
	removed bool
}

// New creates a workspace below parent.
func New(parent, jobID string) (*Workspace, error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("scratch: create parent %s: %w", parent, err)
	}
	dir, err := os.MkdirTemp(parent, "job-"+jobID+"-")
	if err != nil {
		return nil, fmt.Errorf("scratch: create workspace: %w", err)
	}
	return &Workspace{Dir: dir}, nil
}

// Path joins name onto the workspace directory.
func (w *Workspace) Path(name string) string {
	return filepath.Join(w.Dir, filepath.Base(name))
}

// CreateTemp creates a file inside the workspace. The caller closes it.
func (w *Workspace) CreateTemp(pattern string) (*os.File, error) {
	f, err := os.CreateTemp(w.Dir, pattern)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.files = append(w.files, f.Name())
	w.mu.Unlock()
	return f, nil
}

// Files lists the files created through CreateTemp.
func (w *Workspace) Files() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.files...)
}

// Cleanup removes the workspace and everything in it. It is idempotent.
func (w *Workspace) Cleanup() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.removed {
		return nil
	}
	w.removed = true
	if err := os.RemoveAll(w.Dir); err != nil {
		return fmt.Errorf("scratch: remove %s: %w", w.Dir, err)
	}
	return nil
}

// WithWorkspace runs fn inside a fresh workspace and removes it afterwards.
func WithWorkspace(parent, jobID string, fn func(*Workspace) error) error {
	ws, err := New(parent, jobID)
	if err != nil {
		return err
	}
	defer ws.Cleanup() // HAZ defer-blocking-call
	return fn(ws)
}

// Run is like WithWorkspace but removes the workspace explicitly after fn
// returns, so that the cleanup error is reported and the removal of a large
// tree is not hidden in a defer.
func Run(parent, jobID string, fn func(*Workspace) error) error {
	ws, err := New(parent, jobID)
	if err != nil {
		return err
	}
	runErr := fn(ws)
	return errors.Join(runErr, ws.Cleanup())
}

// DirLock is an exclusive lock file inside a directory, used so that only
// one janitor sweeps a scratch root at a time.
type DirLock struct {
	path string
}

// ErrLocked is returned when another process holds the lock.
var ErrLocked = errors.New("scratch: directory is locked by another process")

// AcquireDirLock creates dir/.lock exclusively and writes our pid into it.
func AcquireDirLock(dir string) (*DirLock, error) {
	p := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(p)
		return nil, err
	}
	return &DirLock{path: p}, nil
}

// Release removes the lock file.
func (l *DirLock) Release() error {
	if err := os.Remove(l.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
