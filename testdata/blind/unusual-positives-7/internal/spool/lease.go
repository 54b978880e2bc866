package spool

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// LeaseFile is the name of the lock file inside a spool directory.
const LeaseFile = "LOCK"

// Lease is the exclusive right to write a spool directory.
type Lease struct {
	path string
}

// Acquire creates the lease file; it fails if another process holds it.
func Acquire(dir string) (*Lease, error) {
	p := filepath.Join(dir, LeaseFile)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("spool %s is leased by another process: %w", dir, err)
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		_ = os.Remove(p)
		return nil, err
	}
	return &Lease{path: p}, nil
}

// Release removes the lease file.
func (l *Lease) Release() error { return os.Remove(l.path) }

// Path is the lease file's path.
func (l *Lease) Path() string { return l.path }
