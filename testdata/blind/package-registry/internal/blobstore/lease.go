package blobstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ErrLeaseHeld is returned by Acquire while another owner holds the lease.
var ErrLeaseHeld = errors.New("blobstore: lease held by another collector")

// FileLease is a Lease backed by an O_EXCL lock file in the store root. A
// lock file older than maxAge is considered abandoned by a crashed owner.
type FileLease struct {
	path   string
	owner  string
	maxAge time.Duration
}

// NewFileLease returns a lease on the store rooted at root.
func NewFileLease(root, owner string) *FileLease {
	return &FileLease{path: filepath.Join(root, "gc.lock"), owner: owner, maxAge: 6 * time.Hour}
}

// Acquire creates the lock file, breaking it first if it is stale.
func (l *FileLease) Acquire() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) && l.stale() {
		if rerr := os.Remove(l.path); rerr != nil {
			return rerr
		}
		f, err = os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if errors.Is(err, fs.ErrExist) {
		return ErrLeaseHeld
	}
	if err != nil {
		return err
	}
	_, werr := fmt.Fprintf(f, "%s %d\n", l.owner, time.Now().Unix())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(l.path)
		return err
	}
	return nil
}

// Release removes the lock file.
func (l *FileLease) Release() error {
	return os.Remove(l.path)
}

// stale reports whether the current lock file is older than maxAge.
func (l *FileLease) stale() bool {
	fi, err := os.Stat(l.path)
	if err != nil {
		return false
	}
	return time.Since(fi.ModTime()) > l.maxAge
}
