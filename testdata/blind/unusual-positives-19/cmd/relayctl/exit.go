package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// atExit holds hooks that exitf runs before the process exits.
var atExit []func()

// exitf prints a message, runs the atexit hooks (newest first) and exits
// with code. A panicking hook must not keep the process alive, so the exit
// itself is deferred behind a recover.
func exitf(code int, format string, args ...any) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "relayctl: atexit hook panicked: %v\n", r)
		}
		os.Exit(code)
	}()
	fmt.Fprintf(os.Stderr, "relayctl: "+format+"\n", args...)
	for i := len(atExit) - 1; i >= 0; i-- {
		atExit[i]()
	}
}

// fileLock is an exclusive lock file in a data directory.
type fileLock struct{ path string }

// acquireLock creates the lock file of dir; it fails when it exists.
func acquireLock(dir string) (*fileLock, error) {
	p := filepath.Join(dir, ".relayctl.lock")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(p)
		return nil, err
	}
	return &fileLock{path: p}, nil
}

// ReleaseErr removes the lock file and reports a failure.
func (l *fileLock) ReleaseErr() error {
	if err := os.Remove(l.path); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("unlock %s: %w", l.path, err)
	}
	return nil
}

// Release removes the lock file.
func (l *fileLock) Release() {
	if err := os.Remove(l.path); err != nil && !os.IsNotExist(err) {
		fmt.Fprintf(os.Stderr, "relayctl: unlock: %v\n", err)
	}
}
