// Package workspace manages the scratch directories of a release run.
package workspace

import (
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
)

// Workspace is a temporary directory owned by one release run.
type Workspace struct {
	Root string
	keep bool
	log  *log.Logger
}

// New creates a fresh workspace under the system temp directory. With keep
// set, Close leaves the directory in place for debugging.
func New(prefix string, keep bool, logger *log.Logger) (*Workspace, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	return &Workspace{Root: dir, keep: keep, log: logger}, nil
}

// Path joins elem onto the workspace root.
func (w *Workspace) Path(elem ...string) string {
	return filepath.Join(append([]string{w.Root}, elem...)...)
}

// Mkdir creates a sub directory and returns its path.
func (w *Workspace) Mkdir(name string) (string, error) {
	p := w.Path(name)
	if err := os.MkdirAll(p, 0o755); err != nil {
		return "", err
	}
	return p, nil
}

// Close removes the workspace unless it is kept.
func (w *Workspace) Close() error {
	if w.keep {
		w.log.Printf("workspace kept at %s", w.Root)
		return nil
	}
	return os.RemoveAll(w.Root)
}

// Stage copies src into the workspace under name and returns the new path.
func (w *Workspace) Stage(src, name string) (dst string, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()

	dst = w.Path(name)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return dst, err
}

// Scratch runs fn inside a throw-away directory that is deleted afterwards.
func Scratch(prefix string, fn func(dir string) error) error {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return fmt.Errorf("workspace: %w", err)
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	return fn(dir)
}

// WriteAtomic writes data to path through a temp file and a rename. If the
// writer callback panics, the partial file is removed and the panic continues.
func WriteAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			panic(r)
		}
	}()

	if err := write(tmp); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
