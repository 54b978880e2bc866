package snapshot

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrLocked is returned when another process holds the lock file.
var ErrLocked = errors.New("snapshot: lock held by another process")

// Lock is an exclusive lock file.
type Lock struct {
	path string
}

// AcquireLock creates path exclusively and writes the current PID into it.
func AcquireLock(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, ErrLocked
		}
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &Lock{path: path}, nil
}

// Release removes the lock file.
func (l *Lock) Release() error {
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
