// Package lockfile serialises generator runs on one output tree with an
// O_EXCL lock file holding the owner's pid.
package lockfile

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// Lock is a held lock file.
type Lock struct {
	path string
}

// Acquire creates the lock file at path, retrying until wait has passed.
func Acquire(path string, wait time.Duration) (*Lock, error) {
	deadline := time.Now().Add(wait)
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
			if err := errors.Join(werr, f.Close()); err != nil {
				os.Remove(path)
				return nil, err
			}
			return &Lock{path: path}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if time.Now().After(deadline) {
			pid, _ := Owner(path)
			return nil, fmt.Errorf("%s: held by pid %d", path, pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Release removes the lock file.
func (l *Lock) Release() error {
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Owner returns the pid recorded in the lock file at path.
func Owner(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return strconv.Atoi(strings.TrimSpace(line))
}

// With runs fn while holding the lock at path. A failed release is reported
// when fn itself succeeded.
func With(path string, fn func() error) error {
	l, err := Acquire(path, 10*time.Second)
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

// WithTimeout is With with a caller-chosen wait; the release error is
// joined into the named result, so it reaches the caller.
func WithTimeout(path string, wait time.Duration, fn func() error) (err error) {
	l, err := Acquire(path, wait)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := l.Release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return fn()
}
