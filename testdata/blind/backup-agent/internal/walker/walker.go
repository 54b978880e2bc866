// Package walker enumerates the files to back up below one or more roots.
package walker

import (
	"context"
	"io/fs"
	"path/filepath"
	"sync"
)

// Verbose enables debug logging of walks.
var Verbose bool

// Entry is one file system object found by a walk.
type Entry struct {
	Root string
	Path string
	Rel  string
	Info fs.FileInfo
	Err  error
}

// Walker walks one root, honouring exclude patterns.
type Walker struct {
	Root    string
	Exclude []string
}

// New returns a Walker for root.
func New(root string, exclude []string) *Walker {
	return &Walker{Root: filepath.Clean(root), Exclude: exclude}
}

// Excluded reports whether a root-relative path matches an exclude pattern,
// either as a whole or by its base name.
func (w *Walker) Excluded(rel string) bool {
	base := filepath.Base(rel)
	for _, pat := range w.Exclude {
		if ok, _ := filepath.Match(pat, rel); ok {
			return true
		}
		if ok, _ := filepath.Match(pat, base); ok {
			return true
		}
	}
	return false
}

// Walk streams the entries below the root. The entry channel is closed when
// the walk ends; the error channel then yields the walk's error (or nil).
func (w *Walker) Walk(ctx context.Context) (<-chan Entry, <-chan error) {
	out := make(chan Entry, 64)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		errc <- filepath.WalkDir(w.Root, func(p string, d fs.DirEntry, err error) error {
			return w.visit(ctx, out, p, d, err)
		})
	}()
	return out, errc
}

func (w *Walker) visit(ctx context.Context, out chan<- Entry, p string, d fs.DirEntry, err error) error {
	rel, rerr := filepath.Rel(w.Root, p)
	if rerr != nil {
		return rerr
	}
	e := Entry{Root: w.Root, Path: p, Rel: rel, Err: err}
	if err == nil {
		if rel != "." && w.Excluded(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, ierr := safeInfo(d)
		if ierr != nil {
			e.Err = ierr
		}
		e.Info = info
	}
	select {
	case out <- e:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// safeInfo returns d.Info(). The fs.FS adapters used for archive mounts
// have been seen to panic on stale handles; such entries should surface as
// walk errors instead of killing the backup.
func safeInfo(d fs.DirEntry) (info fs.FileInfo, err error) {
	defer recover() // HAZ recover-ineffective
	return d.Info()
}

// ScanRoots walks several roots concurrently and forwards their entries to
// out, which it closes when done. It stops at the first walk error.
func ScanRoots(ctx context.Context, roots []string, exclude []string, out chan<- Entry) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(roots))
	for _, root := range roots {
		w := New(root, exclude)
		go func() {
			entries, werr := w.Walk(ctx)
			for e := range entries {
				out <- e
			}
			errc <- <-werr
		}()
	}
	for range roots {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// MergeRoots walks several roots concurrently into one channel, which is
// closed after every walker has finished.
func MergeRoots(ctx context.Context, roots []string, exclude []string) <-chan Entry {
	out := make(chan Entry)
	var wg sync.WaitGroup
	for _, root := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			entries, _ := New(root, exclude).Walk(ctx)
			for e := range entries {
				select {
				case out <- e:
				case <-ctx.Done():
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Summary counts what a walk found.
type Summary struct {
	Files int
	Dirs  int
	Bytes int64
}

// Summarize counts files and bytes below every root, concurrently.
func Summarize(ctx context.Context, roots []string) (Summary, error) {
	type result struct {
		sum Summary
		err error
	}
	results := make(chan result)
	var wg sync.WaitGroup
	for _, root := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := summarizeRoot(ctx, root)
			results <- result{s, err}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	var total Summary
	var firstErr error
	for r := range results {
		if r.err != nil && firstErr == nil {
			firstErr = r.err
		}
		total.Files += r.sum.Files
		total.Dirs += r.sum.Dirs
		total.Bytes += r.sum.Bytes
	}
	return total, firstErr
}

func summarizeRoot(ctx context.Context, root string) (Summary, error) {
	var s Summary
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			s.Dirs++
			return nil
		}
		if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
			s.Files++
			s.Bytes += info.Size()
		}
		return nil
	})
	return s, err
}
