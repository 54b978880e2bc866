package refs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrLocked is returned when another process holds a lock file.
var ErrLocked = errors.New("refs: lock file exists")

// LockFile implements the "<name>.lock" protocol: the new contents are
// written to the lock file, which is renamed over the target on Commit or
// removed on Rollback. Creating the lock with O_EXCL is what serialises
// concurrent writers across processes.
type LockFile struct {
	target string
	f      *os.File
	closed bool
}

// Acquire creates target+".lock".
func Acquire(target string) (*LockFile, error) {
	f, err := os.OpenFile(target+".lock", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s.lock (is another vcs process running?)", ErrLocked, target)
		}
		return nil, err
	}
	return &LockFile{target: target, f: f}, nil
}

// Write appends to the pending contents.
func (l *LockFile) Write(p []byte) (int, error) {
	if l.closed {
		return 0, fs.ErrClosed
	}
	return l.f.Write(p)
}

// Commit syncs the lock file and renames it over the target.
func (l *LockFile) Commit() error {
	if l.closed {
		return errors.New("refs: lock already released")
	}
	l.closed = true
	if err := l.f.Sync(); err != nil {
		l.f.Close()
		os.Remove(l.f.Name())
		return err
	}
	if err := l.f.Close(); err != nil {
		os.Remove(l.f.Name())
		return err
	}
	return os.Rename(l.f.Name(), l.target)
}

// Rollback discards the pending contents; it is a no-op after Commit, so it
// is safe to defer right after Acquire.
func (l *LockFile) Rollback() {
	if l.closed {
		return
	}
	l.closed = true
	l.f.Close()
	os.Remove(l.f.Name())
}
