package segment

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrLocked is returned when another process owns the index directory.
var ErrLocked = errors.New("segment: directory is locked by another process")

// DirLock is an exclusive lock on an index directory, held by a LOCK file.
type DirLock struct {
	path string
	f    *os.File
}

// LockDir takes the directory lock.
func LockDir(dir string) (*DirLock, error) {
	p := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, ErrLocked
		}
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	return &DirLock{path: p, f: f}, nil
}

// Release drops the lock.
func (l *DirLock) Release() error {
	return errors.Join(l.f.Close(), os.Remove(l.path))
}
