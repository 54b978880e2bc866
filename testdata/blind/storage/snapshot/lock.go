package snapshot

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// ErrLocked is returned when another process holds the directory lock.
var ErrLocked = errors.New("snapshot: directory is locked")

// Lock is an exclusive lock on a snapshot directory, held by a LOCK file
// containing the owner's pid.
type Lock struct {
	path string
}

// AcquireLock creates dir/LOCK, failing with ErrLocked if it exists.
func AcquireLock(dir string) (lk *Lock, err error) {
	p := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(p)
			lk = nil
		}
	}()
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		return nil, err
	}
	return &Lock{path: p}, nil
}

// Release removes the lock file.
func (l *Lock) Release() error {
	if err := os.Remove(l.path); err != nil {
		return fmt.Errorf("snapshot: release lock: %w", err)
	}
	return nil
}

// Owner returns the pid recorded in dir/LOCK.
func Owner(dir string) (int, error) {
	b, err := os.ReadFile(filepath.Join(dir, "LOCK"))
	if err != nil {
		return 0, err
	}
	s := string(b)
	if n := len(s); n > 0 && s[n-1] == '\n' {
		s = s[:n-1]
	}
	return strconv.Atoi(s)
}
