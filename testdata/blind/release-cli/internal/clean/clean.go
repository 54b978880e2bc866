// Package clean removes build outputs, old releases and stale workspaces.
package clean

import (
	"context"
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

// Journal records what a clean run removed. It is used from one goroutine.
type Journal struct {
	removed []string
	freed   int64
}

// Report is a summary of a Journal.
type Report struct {
	Count int
	Freed int64
	Paths []string
}

func (j *Journal) record(path string, size int64) {
	j.removed = append(j.removed, path)
	j.freed += size
}

// Report summarizes the journal so far.
func (j *Journal) Report() Report {
	return Report{Count: len(j.removed), Freed: j.freed, Paths: append([]string(nil), j.removed...)}
}

// Log prints the report.
func (r Report) Log(l *log.Logger) {
	l.Printf("clean: removed %d paths, %d MiB freed", r.Count, r.Freed>>20)
	for _, p := range r.Paths {
		l.Printf("clean:   %s", p)
	}
}

// Cleaner removes files, honouring a dry-run mode.
type Cleaner struct {
	log     *log.Logger
	dryRun  bool
	journal Journal
}

// New returns a Cleaner.
func New(logger *log.Logger, dryRun bool) *Cleaner {
	return &Cleaner{log: logger, dryRun: dryRun}
}

// remove deletes path (recursively) and records it.
func (c *Cleaner) remove(path string) error {
	size, err := DirSize(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if c.dryRun {
		c.log.Printf("clean: would remove %s", path)
	} else if err := os.RemoveAll(path); err != nil {
		return err
	}
	c.journal.record(path, size)
	return nil
}

// Dist empties the dist directory but keeps the directory itself.
func (c *Cleaner) Dist(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == ".relcli.lock" {
			continue
		}
		if err := c.remove(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// releaseDirs lists the version directories below root, newest first.
func releaseDirs(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	type dir struct {
		path string
		mod  time.Time
	}
	var dirs []dir
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "v") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		dirs = append(dirs, dir{filepath.Join(root, e.Name()), info.ModTime()})
	}
	sort.Slice(dirs, func(i, j int) bool { return dirs[i].mod.After(dirs[j].mod) })
	out := make([]string, len(dirs))
	for i, d := range dirs {
		out[i] = d.path
	}
	return out, nil
}

// Prune keeps the newest keep release directories below root.
func (c *Cleaner) Prune(root string, keep int) error {
	defer c.journal.Report().Log(c.log) // HAZ defer-call-chain
	dirs, err := releaseDirs(root)
	if err != nil {
		return err
	}
	if len(dirs) <= keep {
		return nil
	}
	for _, d := range dirs[keep:] {
		if err := c.remove(d); err != nil {
			return err
		}
	}
	return nil
}

// PruneOlderThan removes release directories older than maxAge and logs the
// journal when it is done.
func (c *Cleaner) PruneOlderThan(root string, maxAge time.Duration) error {
	defer func() { c.journal.Report().Log(c.log) }()
	dirs, err := releaseDirs(root)
	if err != nil {
		return err
	}
	cutoff := time.Now().Add(-maxAge)
	for _, d := range dirs {
		info, err := os.Stat(d)
		if err != nil {
			return err
		}
		if info.ModTime().Before(cutoff) {
			if err := c.remove(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// StaleTemp removes relcli-* workspaces in the temp directory older than maxAge.
func (c *Cleaner) StaleTemp(maxAge time.Duration) error {
	tmp := os.TempDir()
	cutoff := time.Now().Add(-maxAge)
	var stale []string
	err := filepath.Walk(tmp, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			if p == tmp {
				return err
			}
			return nil // unreadable entries of other users
		}
		if p == tmp {
			return nil
		}
		if info.IsDir() {
			if strings.HasPrefix(info.Name(), "relcli-") && info.ModTime().Before(cutoff) {
				stale = append(stale, p)
			}
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range stale {
		if err := c.remove(p); err != nil {
			return err
		}
	}
	return nil
}

// DirSize returns the number of bytes of regular files below root.
func DirSize(root string) (int64, error) {
	var size int64
	err := filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			size += info.Size()
		}
		return nil
	})
	return size, err
}

// RemoveParallel removes several large directories concurrently.
func (c *Cleaner) RemoveParallel(dirs []string) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, d := range dirs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := os.RemoveAll(d); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
		c.log.Printf("clean: removing %s", d)
	}
	wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("clean: %d directories could not be removed: %v", len(errs), errs[0])
	}
	for _, d := range dirs {
		c.journal.record(d, 0)
	}
	return nil
}

func isArchive(p string) bool {
	return strings.HasSuffix(p, ".tar.gz") || strings.HasSuffix(p, ".zip")
}

// Candidates lists the archives below each root, walking the roots
// concurrently.
func Candidates(roots []string) <-chan string {
	out := make(chan string, 64)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, root := range roots {
		go func(root string) {
			filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && isArchive(p) {
					out <- p
				}
				return nil
			})
		}(root)
	}
	return out
}

// dirLock marks a directory as being processed by this cleaner.
type dirLock struct {
	path string
}

func lockDir(dir string) (*dirLock, error) {
	p := dir + ".cleaning"
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return &dirLock{path: p}, nil
}

func (l *dirLock) unlock() {
	os.Remove(l.path)
}

// Follow removes the directories announced on events (by the build farm)
// until ctx is cancelled.
func (c *Cleaner) Follow(ctx context.Context, events <-chan string) {
	for {
		select {
		case <-ctx.Done():
			break
		case dir := <-events:
			l, err := lockDir(dir)
			if err != nil {
				c.log.Printf("clean: %s busy: %v", dir, err)
				continue
			}
			defer l.unlock() // HAZ defer-in-loop defer-in-infinite-loop
			if err := c.remove(dir); err != nil {
				c.log.Printf("clean: %v", err)
			}
		}
	}
}

// Janitor removes stale workspaces every interval until ctx is cancelled.
func (c *Cleaner) Janitor(ctx context.Context, interval time.Duration, root string) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		func() {
			l, err := lockDir(root)
			if err != nil {
				c.log.Printf("clean: janitor skipped: %v", err)
				return
			}
			defer l.unlock()
			if err := c.StaleTemp(24 * time.Hour); err != nil {
				c.log.Printf("clean: janitor: %v", err)
			}
		}()
	}
}

// SizeAll returns the size of each directory, computed concurrently.
func (c *Cleaner) SizeAll(dirs []string) []int64 {
	sizes := make([]int64, len(dirs))
	var wg sync.WaitGroup
	for i, d := range dirs {
		wg.Add(1)
		go func(i int, d string) {
			size, err := DirSize(d)
			if err != nil {
				c.log.Printf("clean: size of %s: %v", d, err)
				return
			}
			sizes[i] = size
			wg.Done() // HAZ waitgroup-done-path
		}(i, d)
	}
	wg.Wait()
	return sizes
}
