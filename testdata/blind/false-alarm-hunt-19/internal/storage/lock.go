package storage

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// DirLock is an advisory lock on a data directory: a LOCK file created
// exclusively and removed on release.
type DirLock struct {
	path string
}

// LockDir takes the lock on dir or reports who holds it.
func LockDir(dir string) (*DirLock, error) {
	p := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			holder, _ := os.ReadFile(p)
			return nil, fmt.Errorf("%s is locked by pid %s", dir, bytes.TrimSpace(holder))
		}
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		_ = os.Remove(p)
		return nil, err
	}
	return &DirLock{path: p}, nil
}

// Release removes the lock file.
func (l *DirLock) Release() error {
	return os.Remove(l.path)
}

// appendEvent appends a timestamped line to dir/EVENTS, the engine's
// human-readable history of opens, ingests and checkpoints.
func appendEvent(dir, format string, args ...any) error {
	f, err := os.OpenFile(filepath.Join(dir, "EVENTS"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s %s\n", time.Now().UTC().Format(time.RFC3339), fmt.Sprintf(format, args...))
	return err
}
