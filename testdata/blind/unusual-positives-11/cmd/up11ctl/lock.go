package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
)

// lockFile keeps two up11ctl runs from mutating the same state directory.
type lockFile struct{ path string }

func acquireLock(path string) (*lockFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("lock %s: another up11ctl is running (remove the file if not)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()))
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &lockFile{path: path}, nil
}

// Release removes the lock file.
func (l *lockFile) Release() error {
	return os.Remove(l.path)
}
