package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// acquireLock creates path exclusively and writes our pid into it. The
// returned func removes the file.
func acquireLock(path string) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if holder, ok := lockHolder(path); ok {
			return nil, fmt.Errorf("%s held by pid %d", path, holder)
		}
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
	return func() { _ = os.Remove(path) }, nil
}

// lockHolder returns the pid recorded in an existing lock file.
func lockHolder(path string) (int, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	return pid, err == nil
}
