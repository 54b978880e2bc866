// Package iterx provides range-over-func iterators over files and lines.
// Every resource an iterator opens is released inside the iterator itself,
// when the loop ends or breaks early.
package iterx

import (
	"bufio"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Lines yields the lines of the file at path. An open or read error is
// yielded once, as the last element.
func Lines(path string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield("", err)
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if !yield(sc.Text(), nil) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			yield("", err)
		}
	}
}

// Files yields the regular files under root whose names end in ext, in
// lexical order. Hidden directories and testdata are skipped, as the go
// command does.
func Files(root, ext string) iter.Seq[string] {
	return func(yield func(string) bool) {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() || !strings.HasSuffix(p, ext) {
				return nil
			}
			if !yield(p) {
				return filepath.SkipAll
			}
			return nil
		})
	}
}

// Open yields each path opened read-only. Each file is closed before the
// next one is opened, so the loop body must not keep the *os.File.
func Open(paths []string) iter.Seq2[*os.File, error] {
	return func(yield func(*os.File, error) bool) {
		for _, p := range paths {
			more := func() bool {
				f, err := os.Open(p)
				if err != nil {
					return yield(nil, err)
				}
				defer f.Close()
				return yield(f, nil)
			}()
			if !more {
				return
			}
		}
	}
}

// Chunks yields consecutive sub-slices of s with at most n elements.
func Chunks[T any](s []T, n int) iter.Seq[[]T] {
	if n < 1 {
		n = 1
	}
	return func(yield func([]T) bool) {
		for len(s) > 0 {
			k := min(n, len(s))
			if !yield(s[:k:k]) {
				return
			}
			s = s[k:]
		}
	}
}

// Locked yields the items of s while holding mu. The lock is released when
// the loop finishes, breaks or panics.
func Locked[T any](mu sync.Locker, s []T) iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		mu.Lock()
		defer mu.Unlock()
		for i, v := range s {
			if !yield(i, v) {
				return
			}
		}
	}
}
