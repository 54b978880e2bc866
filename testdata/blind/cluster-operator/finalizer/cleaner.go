// Package finalizer implements the operator's cleanup finalizer: before a
// Cluster is deleted its storage directory is archived and removed.
package finalizer

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Cleaner removes the on-disk storage of deleted objects.
type Cleaner struct {
	root       string
	archiveDir string
	logger     *log.Logger
	inFlight   sync.Map // key -> struct{}

	// OnCleanup, if set, is called with the key of every cleaned-up object.
	OnCleanup func(key string)
}

// NewCleaner returns a cleaner for storage under root. Archives are written
// to archiveDir; an empty archiveDir disables archiving.
func NewCleaner(root, archiveDir string, logger *log.Logger) *Cleaner {
	return &Cleaner{root: filepath.Clean(root), archiveDir: archiveDir, logger: logger}
}

// Cleanup archives and removes dir, the storage of key. Two cleanups of the
// same key never run at once.
func (c *Cleaner) Cleanup(key, dir string) error {
	if _, busy := c.inFlight.LoadOrStore(key, struct{}{}); busy {
		return fmt.Errorf("finalizer: cleanup of %s already running", key)
	}
	defer c.inFlight.Delete(key)

	if err := c.within(dir); err != nil {
		return err
	}
	if c.archiveDir != "" {
		dst := filepath.Join(c.archiveDir, strings.ReplaceAll(key, "/", "_")+".tar.gz")
		if err := Archive(dir, dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("finalizer: archive %s: %w", key, err)
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("finalizer: remove %s: %w", dir, err)
	}
	if err := c.appendAudit(key, "removed "+dir); err != nil {
		c.logger.Printf("finalizer: audit: %v", err)
	}
	return nil
}

// CleanupMany removes the storage of several objects in parallel and
// returns the keys whose cleanup failed.
func (c *Cleaner) CleanupMany(dirs map[string]string) []string {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []string
	)
	for key, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if err := c.Cleanup(key, dir); err != nil {
				c.logger.Printf("finalizer: %v", err)
				mu.Lock()
				failed = append(failed, key)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Strings(failed)
	return failed
}

// CleanupAll is CleanupMany with a correct join: every goroutine signals
// exactly once, whatever path it takes.
func (c *Cleaner) CleanupAll(dirs map[string]string) map[string]error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs = make(map[string]error)
	)
	for key, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
				return
			}
			if err := c.Cleanup(key, dir); err != nil {
				mu.Lock()
				errs[key] = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errs
}

// Verify copies dir into a fresh temporary directory next to the storage
// root and runs fn on the copy, so that an archive can be checked before the
// original is deleted.
func (c *Cleaner) Verify(dir string, fn func(staged string) error) error {
	tmp, err := os.MkdirTemp(c.root, ".verify-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // HAZ defer-blocking-call
	if err := copyTree(dir, tmp); err != nil {
		return err
	}
	return fn(tmp)
}

// Stage copies dir into a new temporary directory and returns it together
// with the function that removes it. The caller decides when to pay for the
// removal.
func (c *Cleaner) Stage(dir string) (staged string, cleanup func() error, err error) {
	tmp, err := os.MkdirTemp(c.root, ".stage-*")
	if err != nil {
		return "", nil, err
	}
	if err := copyTree(dir, tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return "", nil, err
	}
	return tmp, func() error { return os.RemoveAll(tmp) }, nil
}

// within rejects directories outside the storage root, so that a bad spec
// cannot make the finalizer delete arbitrary paths.
func (c *Cleaner) within(dir string) error {
	rel, err := filepath.Rel(c.root, filepath.Clean(dir))
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("finalizer: %s is not inside storage root %s", dir, c.root)
	}
	return nil
}

// appendAudit appends one line to the finalizer audit log.
func (c *Cleaner) appendAudit(key, action string) error {
	f, err := os.OpenFile(filepath.Join(c.root, "audit.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s\t%s\t%s\n", time.Now().UTC().Format(time.RFC3339), key, action)
	return err
}

// ReadAudit returns the audit log lines, oldest first.
func ReadAudit(root string) ([]string, error) {
	f, err := os.OpenFile(filepath.Join(root, "audit.log"), os.O_RDONLY, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	defer f.Close()
	var sb strings.Builder
	if _, err := f.WriteTo(&sb); err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(sb.String(), "\n"), "\n"), nil
}

// removeQuietly deletes path, ignoring a missing file. A panic from a
// misbehaving filesystem must not abort the finalizer.
func removeQuietly(path string) error {
	defer recover() // HAZ recover-ineffective
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// RemoveStaleLocks deletes leftover lock files of crashed cleanups and
// returns how many were removed.
func (c *Cleaner) RemoveStaleLocks(olderThan time.Duration) (int, error) {
	matches, err := filepath.Glob(filepath.Join(c.root, "*", "*", ".cleanup.lock"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range matches {
		info, err := os.Stat(m)
		if err != nil || time.Since(info.ModTime()) < olderThan {
			continue
		}
		if err := removeQuietly(m); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
