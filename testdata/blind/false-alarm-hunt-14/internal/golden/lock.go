package golden

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Lock is an advisory lock file that keeps two -update runs from rewriting
// the same testdata directory at once.
type Lock struct {
	path string
}

// Acquire creates the lock file in dir, failing if it already exists.
func Acquire(dir string) (*Lock, error) {
	path := filepath.Join(dir, ".golden.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("golden: %s is locked by another run (remove %s if it is stale)", dir, path)
		}
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return nil, werr
	}
	return &Lock{path: path}, nil
}

// Release removes the lock file.
func (l *Lock) Release() error {
	return os.Remove(l.path)
}

// With runs fn while holding the lock on dir and reports a failure to
// release it.
func With(dir string, fn func() error) error {
	l, err := Acquire(dir)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := l.Release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	err = fn()
	return err
}
