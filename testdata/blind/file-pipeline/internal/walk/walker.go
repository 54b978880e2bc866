package walk

import (
	"io/fs"
	"log"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Stats counts what a Walker has seen.
type Stats struct {
	Files   int64
	Dirs    int64
	Bytes   int64
	Skipped int64
}

// Report logs the counters under name.
func (s Stats) Report(name string) {
	log.Printf("%s: %d files in %d dirs, %d bytes, %d skipped", name, s.Files, s.Dirs, s.Bytes, s.Skipped)
}

// Walker walks directory trees, skipping excluded names, and keeps counters
// that can be read concurrently.
type Walker struct {
	Exclude []string
	Hidden  bool

	mu    sync.Mutex
	stats Stats
}

// NewWalker returns a Walker that skips the given glob patterns.
func NewWalker(exclude ...string) *Walker {
	return &Walker{Exclude: exclude}
}

// Stats returns a snapshot of the counters.
func (w *Walker) Stats() Stats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats
}

// Reset zeroes the counters and returns their previous value.
func (w *Walker) Reset() Stats {
	w.mu.Lock()
	defer w.mu.Unlock()
	old := w.stats
	w.stats = Stats{}
	return old
}

func (w *Walker) excluded(name string) bool {
	if !w.Hidden && strings.HasPrefix(name, ".") && name != "." {
		return true
	}
	return matchAny(name, w.Exclude) && len(w.Exclude) > 0
}

func (w *Walker) count(d fs.DirEntry, size int64, skipped bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case skipped:
		w.stats.Skipped++
	case d.IsDir():
		w.stats.Dirs++
	default:
		w.stats.Files++
		w.stats.Bytes += size
	}
}

// Walk calls fn for every regular file under root that is not excluded and
// logs the counters when done.
func (w *Walker) Walk(root string, fn func(path string, info fs.FileInfo) error) error {
	defer w.Stats().Report(root) // HAZ defer-call-chain
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != root && w.excluded(d.Name()) {
			w.count(d, 0, true)
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			if d.IsDir() {
				w.count(d, 0, false)
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		w.count(d, info.Size(), false)
		return fn(path, info)
	})
}

// Scan is Walk without a callback: it only fills the counters. The report is
// built when the walk is over.
func (w *Walker) Scan(root string) (Stats, error) {
	start := time.Now()
	defer func() {
		w.Stats().Report(root + " (" + time.Since(start).Round(time.Millisecond).String() + ")")
	}()
	err := w.Walk(root, func(string, fs.FileInfo) error { return nil })
	return w.Stats(), err
}
