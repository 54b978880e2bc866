// Package fsutil holds file helpers for batch jobs: atomic writes, checksums, locks and spools.
package fsutil

import (
	"errors"
	"io"
	"os"
	"path/filepath"
)

// AtomicFile is a temporary file that replaces its target on Commit.
type AtomicFile struct {
	f    *os.File
	path string
	perm os.FileMode
	done bool
}

// CreateAtomic creates a temporary file next to path.
func CreateAtomic(path string, perm os.FileMode) (*AtomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &AtomicFile{f: f, path: path, perm: perm}, nil
}

// Write writes to the temporary file.
func (a *AtomicFile) Write(p []byte) (int, error) { return a.f.Write(p) }

// Name returns the temporary file name.
func (a *AtomicFile) Name() string { return a.f.Name() }

// Commit syncs and closes the temporary file and renames it over the target.
func (a *AtomicFile) Commit() error {
	if a.done {
		return errors.New("fsutil: atomic file already finished")
	}
	a.done = true
	tmp := a.f.Name()
	if err := a.f.Sync(); err != nil {
		_ = a.f.Close()
		_ = os.Remove(tmp)
		return err
	}
	if err := a.f.Close(); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, a.perm); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, a.path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(a.path))
}

// Abort discards the temporary file. It is a no-op after Commit.
func (a *AtomicFile) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	cerr := a.f.Close()
	return errors.Join(cerr, os.Remove(a.f.Name()))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close() // ok: read-only directory handle
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// WriteFileAtomic writes data to path so readers see either the old or the new content.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	af, err := CreateAtomic(path, perm)
	if err != nil {
		return err
	}
	defer af.Abort() // ok: no-op once committed
	if _, err := af.Write(data); err != nil {
		return err
	}
	return af.Commit()
}

// WriteAtomic streams r into path atomically.
func WriteAtomic(path string, perm os.FileMode, r io.Reader) (int64, error) {
	af, err := CreateAtomic(path, perm)
	if err != nil {
		return 0, err
	}
	defer af.Abort()
	n, err := io.Copy(af, r)
	if err != nil {
		return n, err
	}
	return n, af.Commit()
}

// CopyFile copies src to dst atomically, keeping the permission bits.
func CopyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	_, err = WriteAtomic(dst, fi.Mode().Perm(), in)
	return err
}

// WithTempDir runs fn with a fresh temporary directory and removes it afterwards.
func WithTempDir(prefix string, fn func(dir string) error) error {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return err
	}
	ferr := fn(dir)
	return errors.Join(ferr, os.RemoveAll(dir))
}
