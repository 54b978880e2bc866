package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// dirLock is a pid file that keeps two daemons off one state directory.
type dirLock struct {
	path string
}

// acquireDirLock creates dir/.lock exclusively.
func acquireDirLock(dir string) (*dirLock, error) {
	p := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("state dir %s is locked by pid %s", dir, readPid(p))
		}
		return nil, err
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(p)
		return nil, err
	}
	return &dirLock{path: p}, nil
}

// Release removes the lock file.
func (l *dirLock) Release() {
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Printf("syncd: release lock: %v", err)
	}
}

// readPid returns the pid recorded in a lock file, or "?".
func readPid(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(data))
}

// migrateState upgrades state files written by older versions.
func migrateState(dir string) error {
	old := filepath.Join(dir, "state.json")
	if _, err := os.Stat(old); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return os.Rename(old, filepath.Join(dir, "synced.json"))
}
