package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// lockFile is an exclusive lock on the spool held by mailctl while it
// rewrites envelopes; mailsrvd skips its queue run while it exists.
type lockFile struct {
	path string
	f    *os.File
}

func acquireLock(dir string) (*lockFile, error) {
	p := filepath.Join(dir, "mailctl.lock")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("spool is locked by another mailctl (%s)", p)
		}
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	return &lockFile{path: p, f: f}, nil
}

// Release removes the lock.
func (l *lockFile) Release() error {
	cerr := l.f.Close()
	if err := os.Remove(l.path); err != nil {
		return err
	}
	return cerr
}
