package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// acquire takes the spool's maintenance lock, shared with the daemon's
// compactor, and returns the function that releases it.
func acquire(dir string) (func(), error) {
	p := filepath.Join(dir, "COMPACT.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	_, werr := fmt.Fprintf(f, "%d up12ctl\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(p)
		return nil, err
	}
	return func() { os.Remove(p) }, nil
}
