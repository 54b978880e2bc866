// Package finalizer owns the per-object working directories and removes
// them before an object's finalizer is dropped.
package finalizer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/fah31/api"
)

// Name is the finalizer this package is responsible for.
const Name = "example.com/workdir-cleanup"

// Cleaner manages working directories below root.
type Cleaner struct {
	root   string
	shared bool // several replicas share root; locking is done elsewhere
	log    *log.Logger
}

// NewCleaner returns a cleaner rooted at root.
func NewCleaner(root string, shared bool, logger *log.Logger) *Cleaner {
	if logger == nil {
		logger = log.Default()
	}
	return &Cleaner{root: root, shared: shared, log: logger}
}

// WorkDir returns obj's working directory.
func (c *Cleaner) WorkDir(obj *api.Object) string {
	return filepath.Join(c.root, obj.Namespace, obj.Name)
}

// Finalize removes obj's working directory and then its finalizer. The
// directory is removed explicitly and the error checked; nothing is deferred.
func (c *Cleaner) Finalize(ctx context.Context, obj *api.Object) (removed bool, err error) {
	if !obj.IsDeleting() || !obj.HasFinalizer(Name) {
		return false, nil
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	dir := c.WorkDir(obj)
	if err := os.RemoveAll(dir); err != nil {
		return false, fmt.Errorf("finalize %s: remove %s: %w", api.KeyOf(obj), dir, err)
	}
	c.log.Printf("finalizer: removed %s", dir)
	return obj.RemoveFinalizer(Name), nil
}

// WithLock runs fn with obj's working directory locked against other
// processes on this host.
func (c *Cleaner) WithLock(obj *api.Object, fn func(dir string) error) error {
	dir := c.WorkDir(obj)
	var unlock func()
	if !c.shared {
		lockPath := filepath.Join(dir, ".lock")
		f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("work dir %s is busy: %w", dir, err)
		}
		if err := f.Close(); err != nil {
			return err
		}
		unlock = func() { _ = os.Remove(lockPath) }
	}
	defer unlock() // HAZ defer-nil-func
	return fn(dir)
}

// WithLockOrNoop is WithLock with a no-op default for shared roots.
func (c *Cleaner) WithLockOrNoop(obj *api.Object, fn func(dir string) error) error {
	dir := c.WorkDir(obj)
	unlock := func() {}
	if !c.shared {
		lockPath := filepath.Join(dir, ".lock")
		f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("work dir %s is busy: %w", dir, err)
		}
		if err := f.Close(); err != nil {
			return err
		}
		unlock = func() { _ = os.Remove(lockPath) }
	}
	defer unlock()
	return fn(dir)
}

// Scratch creates a temporary directory for one reconcile and returns it
// with its cleanup; the caller runs the cleanup when done.
func (c *Cleaner) Scratch(obj *api.Object) (string, func() error, error) {
	dir, err := os.MkdirTemp(c.root, "scratch-"+obj.Name+"-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() error { return os.RemoveAll(dir) }, nil
}

// WithScratch runs fn in a scratch directory and removes it afterwards,
// reporting a failed removal along with fn's error.
func (c *Cleaner) WithScratch(obj *api.Object, fn func(dir string) error) error {
	dir, cleanup, err := c.Scratch(obj)
	if err != nil {
		return err
	}
	err = fn(dir)
	return errors.Join(err, cleanup())
}

// SweepOrphans removes working directories of objects that no longer exist
// and are older than minAge. It returns the removed paths.
func (c *Cleaner) SweepOrphans(live map[string]bool, minAge time.Duration) ([]string, error) {
	var removed []string
	namespaces, err := os.ReadDir(c.root)
	if err != nil {
		return nil, err
	}
	for _, ns := range namespaces {
		if !ns.IsDir() || ns.Name()[0] == '.' {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(c.root, ns.Name()))
		if err != nil {
			return removed, err
		}
		for _, e := range entries {
			if live[ns.Name()+"/"+e.Name()] || !c.oldEnough(e, minAge) {
				continue
			}
			p := filepath.Join(c.root, ns.Name(), e.Name())
			if err := os.RemoveAll(p); err != nil {
				return removed, err
			}
			removed = append(removed, p)
		}
	}
	return removed, nil
}

func (c *Cleaner) oldEnough(e fs.DirEntry, minAge time.Duration) bool {
	info, err := e.Info()
	if err != nil {
		c.log.Printf("finalizer: stat %s: %v", e.Name(), err)
		return false
	}
	return time.Since(info.ModTime()) >= minAge
}
