// Package fsutil holds the small file-system primitives the pipeline builds
// on: atomic replacement of files, directory syncing, copying and lock files.
package fsutil

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrCommitted is returned when an AtomicWriter is used after Commit or Abort.
var ErrCommitted = errors.New("fsutil: atomic writer already finished")

// WriteFileAtomic writes data to path so that readers see either the old or
// the new content, never a torn file: temp file in the same directory, fsync,
// rename, fsync of the directory.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return SyncDir(dir)
}

// WriteFileQuick writes a small status file in place. It is used for the
// progress files that the dashboards poll, where a torn write is acceptable.
func WriteFileQuick(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.Write(data)
	return err
}

// AppendSync appends data to the file at path and makes it durable before
// returning.
func AppendSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// SyncDir fsyncs a directory so that a rename inside it survives a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// CopyFile copies src to dst, preserving the permission bits, and makes the
// copy durable before returning.
func CopyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

// ReplaceIfChanged rewrites path atomically unless it already holds data.
// It reports whether the file was written.
func ReplaceIfChanged(path string, data []byte, perm fs.FileMode) (bool, error) {
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, data):
		return false, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return false, err
	}
	if err := WriteFileAtomic(path, data, perm); err != nil {
		return false, err
	}
	return true, nil
}

// AtomicWriter streams into a temporary file that replaces the target on
// Commit. Abort discards it. Exactly one of them must be called.
type AtomicWriter struct {
	path string
	perm fs.FileMode
	tmp  *os.File
	done bool
}

// NewAtomicWriter creates the temporary file next to path.
func NewAtomicWriter(path string, perm fs.FileMode) (*AtomicWriter, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &AtomicWriter{path: path, perm: perm, tmp: tmp}, nil
}

// Write implements io.Writer.
func (w *AtomicWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, ErrCommitted
	}
	return w.tmp.Write(p)
}

// Commit makes the written content visible under the target path.
func (w *AtomicWriter) Commit() error {
	if w.done {
		return ErrCommitted
	}
	w.done = true
	if err := w.tmp.Chmod(w.perm); err != nil {
		return errors.Join(err, w.discard())
	}
	if err := w.tmp.Sync(); err != nil {
		return errors.Join(err, w.discard())
	}
	if err := w.tmp.Close(); err != nil {
		return errors.Join(err, os.Remove(w.tmp.Name()))
	}
	if err := os.Rename(w.tmp.Name(), w.path); err != nil {
		return errors.Join(err, os.Remove(w.tmp.Name()))
	}
	return SyncDir(filepath.Dir(w.path))
}

// Abort removes the temporary file. It is a no-op after Commit.
func (w *AtomicWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	return w.discard()
}

func (w *AtomicWriter) discard() error {
	cerr := w.tmp.Close()
	if errors.Is(cerr, os.ErrClosed) {
		cerr = nil
	}
	return errors.Join(cerr, os.Remove(w.tmp.Name()))
}

// WriteWith fills a new version of path through fill and commits it only if
// fill succeeds.
func WriteWith(path string, perm fs.FileMode, fill func(io.Writer) error) (err error) {
	w, err := NewAtomicWriter(path, perm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, w.Abort())
		}
	}()
	if err = fill(w); err != nil {
		return err
	}
	return w.Commit()
}
