// Package fileutil holds the small filesystem helpers shared by the WAL, the
// block writer and the tools: lock files, directory fsync and atomic file
// replacement.
package fileutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// ErrLocked is returned when another process holds a lock file.
var ErrLocked = errors.New("locked by another process")

// Lock is an exclusive lock implemented as a file created with O_EXCL.
// Release removes the file; a lock file left behind blocks the next owner.
type Lock struct {
	path string
	f    *os.File
}

// Acquire creates the lock file at path and writes our pid into it.
func Acquire(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrLocked)
		}
		return nil, err
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
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

// LockDir acquires the LOCK file of a data directory.
func LockDir(dir string) (*Lock, error) {
	return Acquire(filepath.Join(dir, "LOCK"))
}

// Path returns the lock file path.
func (l *Lock) Path() string { return l.path }

// Release closes and removes the lock file.
func (l *Lock) Release() error {
	cerr := l.f.Close()
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return cerr
}

// SyncDir fsyncs a directory so that creations and renames in it are durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ReplaceFile atomically replaces path with data: temp file, fsync, rename,
// directory fsync. On failure the temp file is removed.
func ReplaceFile(path string, data []byte, perm os.FileMode) (err error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// DirSize returns the total size of the regular files under dir.
func DirSize(dir string) (int64, error) {
	var size int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		size += info.Size()
		return nil
	})
	return size, err
}
