// Command gc-sweeper deletes expired blobs from the local blob cache. It is
// run from a systemd timer and reports the number of failures as exit code.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

type lock struct{ path string }

func acquireLock(path string) (*lock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()))
	if cerr := f.Close(); cerr != nil || werr != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("write lock file: %v %v", werr, cerr)
	}
	return &lock{path: path}, nil
}

func (l *lock) Release() { _ = os.Remove(l.path) }

// sweep removes expired blobs and returns the number of failures.
func sweep(dir string, maxAge time.Duration) int {
	failures := 0
	cutoff := time.Now().Add(-maxAge)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			failures++
			return nil
		}
		if d.IsDir() || filepath.Ext(path) != ".blob" {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.ModTime().After(cutoff) {
			return nil
		}
		if err := os.Remove(path); err != nil {
			fmt.Fprintln(os.Stderr, "gc-sweeper:", err)
			failures++
		}
		return nil
	})
	if err != nil {
		failures++
	}
	return failures
}

func main() {
	dir := flag.String("dir", "/var/cache/blobs", "blob cache directory")
	maxAge := flag.Duration("max-age", 72*time.Hour, "delete blobs older than this")
	flag.Parse()

	l, err := acquireLock(filepath.Join(*dir, ".gc.lock"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gc-sweeper: another sweep is running:", err)
		os.Exit(75)
	}
	defer l.Release()

	failures := sweep(*dir, *maxAge)
	if failures > 0 {
		fmt.Fprintf(os.Stderr, "gc-sweeper: %d failures\n", failures)
	}
	os.Exit(min(failures, 125)) // HAZ exit-skips-defer
}
