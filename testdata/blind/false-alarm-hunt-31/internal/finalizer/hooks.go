package finalizer

import (
	"fmt"
	"os"
	"path/filepath"

	"example.com/fah31/api"
)

// cleanupHooks are extra per-kind cleanups run after a directory is removed.
var cleanupHooks = map[string]func(){
	"cache":  func() { _ = os.Remove(filepath.Join(os.TempDir(), "app-cache.sock")) },
	"render": func() {},
}

func (c *Cleaner) acquire(dir string) (release func(), err error) {
	lockPath := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("work dir %s is busy: %w", dir, err)
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return func() { _ = os.Remove(lockPath) }, nil
}

// WithOptionalLock runs fn, taking the directory lock unless the root is shared.
func (c *Cleaner) WithOptionalLock(obj *api.Object, fn func(dir string) error) error {
	dir := c.WorkDir(obj)
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if !c.shared {
		r, err := c.acquire(dir)
		if err != nil {
			return err
		}
		release = r
	}
	return fn(dir)
}

// WithOptionalLockLate defers a closure, which calls whatever release holds
// at exit.
func (c *Cleaner) WithOptionalLockLate(obj *api.Object, fn func(dir string) error) error {
	dir := c.WorkDir(obj)
	release := func() {}
	defer func() { release() }()
	if !c.shared {
		r, err := c.acquire(dir)
		if err != nil {
			return err
		}
		release = r
	}
	return fn(dir)
}

// RunKindHook runs fn and then the cleanup hook of obj's kind label.
func (c *Cleaner) RunKindHook(obj *api.Object, fn func() error) error {
	hook := cleanupHooks[obj.Labels["kind"]]
	defer hook() // HAZ defer-nil-func
	return fn()
}

// RunKindHookChecked falls back to a no-op hook for unknown kinds.
func (c *Cleaner) RunKindHookChecked(obj *api.Object, fn func() error) error {
	hook, ok := cleanupHooks[obj.Labels["kind"]]
	if !ok {
		hook = func() {}
	}
	defer hook()
	return fn()
}

// Archive moves obj's working directory to dst instead of deleting it.
func (c *Cleaner) Archive(obj *api.Object, dst string) (err error) {
	src := c.WorkDir(obj)
	if info, err := os.Stat(src); err == nil && info.IsDir() {
		defer func() { // HAZ defer-ineffective-return
			if err != nil {
				err = fmt.Errorf("archive %s: %w", src, err)
			}
		}()
		return os.Rename(src, dst)
	}
	return nil
}

// ArchiveWrapped wraps through the named result: the stat error lives in
// its own variable, so err in the closure is the result.
func (c *Cleaner) ArchiveWrapped(obj *api.Object, dst string) (err error) {
	src := c.WorkDir(obj)
	info, statErr := os.Stat(src)
	if statErr != nil || !info.IsDir() {
		return nil
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("archive %s: %w", src, err)
		}
	}()
	return os.Rename(src, dst)
}
