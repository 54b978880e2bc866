package fileexporter

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// dirLock is an advisory lock file holding the owner's pid.
type dirLock struct {
	path string
}

// acquireDirLock creates dir/.lock, failing if another process holds it.
func acquireDirLock(dir string) (*dirLock, error) {
	path := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			owner, _ := os.ReadFile(path)
			return nil, fmt.Errorf("directory %s is locked by pid %s", dir, owner)
		}
		return nil, err
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid())); err != nil {
		return nil, errors.Join(err, f.Close(), os.Remove(path))
	}
	if err := f.Close(); err != nil {
		return nil, errors.Join(err, os.Remove(path))
	}
	return &dirLock{path: path}, nil
}

// Release removes the lock file.
func (l *dirLock) Release() error {
	if err := os.Remove(l.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("release %s: %w", l.path, err)
	}
	return nil
}
