package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// WritePIDFile creates path exclusively and stores pid in it. A PID file
// left behind by a process that is no longer alive is replaced.
func WritePIDFile(path string, pid int) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		old, rerr := ReadPIDFile(path)
		if rerr == nil && old != pid && PIDAlive(old) {
			return fmt.Errorf("pid file %s: process %d is still running", path, old)
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return WritePIDFile(path, pid)
	}
	defer f.Close()
	if _, err := f.WriteString(strconv.Itoa(pid) + "\n"); err != nil {
		return err
	}
	return f.Sync()
}

// ReadPIDFile returns the pid stored in path.
func ReadPIDFile(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("pid file %s: malformed content %q", path, data)
	}
	return pid, nil
}

// RemovePIDFile removes path if it still names pid, so that a process never
// deletes the PID file of its successor.
func RemovePIDFile(path string, pid int) error {
	cur, err := ReadPIDFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	if cur != pid {
		return nil
	}
	return os.Remove(path)
}

// PIDAlive reports whether a process with the given pid exists.
func PIDAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
