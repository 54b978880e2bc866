package export

import (
	"errors"
	"fmt"
	"os"
)

// Lock is an advisory lock file created exclusively next to its target.
type Lock struct {
	path string
	f    *os.File
}

// AcquireLock creates path exclusively; it fails if another process holds it.
func AcquireLock(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("export: lock %s: %w", path, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		return nil, errors.Join(err, f.Close(), os.Remove(path))
	}
	return &Lock{path: path, f: f}, nil
}

// Release closes and removes the lock file.
func (l *Lock) Release() error {
	return errors.Join(l.f.Close(), os.Remove(l.path))
}

// Snapshot writes items to path while holding path's lock file.
func Snapshot[T any](path string, items []T) error {
	lock, err := AcquireLock(path + ".lock")
	if err != nil {
		return err
	}
	defer func() error { return lock.Release() }() // HAZ defer-ineffective-return
	return WriteGzipNDJSON(path, items)
}

// SnapshotChecked is Snapshot with the lock's release error reported.
func SnapshotChecked[T any](path string, items []T) (err error) {
	lock, err := AcquireLock(path + ".lock")
	if err != nil {
		return err
	}
	defer func() {
		if rerr := lock.Release(); rerr != nil {
			err = errors.Join(err, fmt.Errorf("export: release lock: %w", rerr))
		}
	}()
	return WriteGzipNDJSON(path, items)
}
