package kv

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

func lockPathFor(path string) string { return path + ".lock" }

// acquireLock creates the lock file next to the data file and records our
// pid in it. It fails with ErrLocked when the file already exists.
func acquireLock(path string) (string, error) {
	lp := lockPathFor(path)
	f, err := os.OpenFile(lp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("%w (%s)", ErrLocked, lp)
		}
		return "", err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(lp)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(lp)
		return "", err
	}
	return lp, nil
}

func releaseLock(lp string) error {
	if lp == "" {
		return nil
	}
	return os.Remove(lp)
}

// LockOwner returns the pid recorded in the lock file of the database at
// path, or 0 when it is not locked.
func LockOwner(path string) (int, error) {
	data, err := os.ReadFile(lockPathFor(path))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		return 0, fmt.Errorf("kv: corrupt lock file %s: %w", lockPathFor(path), err)
	}
	return pid, nil
}

// BreakLock removes a stale lock file left by a crashed process.
func BreakLock(path string) error {
	err := os.Remove(lockPathFor(path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
