package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// pidLock is a lock file that keeps two backupctl runs from working on the
// same archive directory.
type pidLock struct {
	path string
}

func acquirePidLock(dir string) (*pidLock, error) {
	path := filepath.Join(dir, "backupctl.pid")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s exists: another backupctl is running (remove it if not)", path)
	}
	if err != nil {
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
	return &pidLock{path: path}, nil
}

// Release removes the lock file.
func (l *pidLock) Release() {
	if err := os.Remove(l.path); err != nil {
		fmt.Fprintf(os.Stderr, "backupctl: releasing lock: %v\n", err)
	}
}
