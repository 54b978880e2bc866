// Package workspace manages forge's working directories: the workspace lock
// and the per-action sandboxes.
package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"example.com/fah28/internal/fsutil"
)

const lockName = ".forge.lock"

// Acquire takes the workspace lock in dir. The returned release removes the
// lock file; it is non-nil whenever err is nil.
func Acquire(dir string) (release func() error, err error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("workspace %s is locked by another forge (remove %s if it is stale)", dir, path)
	}
	if err != nil {
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		_ = os.Remove(path)
		return nil, err
	}
	return func() error { return os.Remove(path) }, nil
}

// WithLock runs fn while holding the workspace lock of dir, and reports a
// failure to release the lock.
func WithLock(dir string, fn func() error) error {
	release, err := Acquire(dir)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := release(); rerr != nil {
			err = fmt.Errorf("release lock in %s: %w", dir, rerr)
		}
	}()
	return fn()
}

// Sandbox is a private directory an action runs in.
type Sandbox struct {
	Dir string
}

// NewSandbox creates a fresh sandbox under parent for action id.
func NewSandbox(parent, id string) (*Sandbox, error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(parent, "sandbox-"+id+"-")
	if err != nil {
		return nil, err
	}
	return &Sandbox{Dir: dir}, nil
}

// Populate copies the named files from root into the sandbox.
func (s *Sandbox) Populate(root string, files []string) error {
	for _, name := range files {
		dst := filepath.Join(s.Dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := fsutil.CopyFile(dst, filepath.Join(root, name)); err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
	}
	return nil
}

// Collect copies the named outputs from the sandbox into dst.
func (s *Sandbox) Collect(dst string, outputs []string) error {
	for _, name := range outputs {
		target := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := fsutil.CopyFile(target, filepath.Join(s.Dir, name)); err != nil {
			return fmt.Errorf("sandbox: output %s: %w", name, err)
		}
	}
	return nil
}

// Remove deletes the sandbox and everything in it.
func (s *Sandbox) Remove() error {
	return os.RemoveAll(s.Dir)
}
