// Package walk produces the file sets the pipeline works on, as iterators.
package walk

import (
	"bufio"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Files yields every regular file under root, in lexical order, with its
// FileInfo. Unreadable directories are skipped.
func Files(root string) iter.Seq2[string, fs.FileInfo] {
	return func(yield func(string, fs.FileInfo) bool) {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil
			}
			if !yield(path, info) {
				return filepath.SkipAll
			}
			return nil
		})
	}
}

// Paths drops the FileInfo of a walk.
func Paths(seq iter.Seq2[string, fs.FileInfo]) iter.Seq[string] {
	return func(yield func(string) bool) {
		for p := range seq {
			if !yield(p) {
				return
			}
		}
	}
}

// Matching keeps the files whose base name matches one of the glob patterns.
func Matching(seq iter.Seq2[string, fs.FileInfo], patterns ...string) iter.Seq2[string, fs.FileInfo] {
	return func(yield func(string, fs.FileInfo) bool) {
		for p, info := range seq {
			if !matchAny(filepath.Base(p), patterns) {
				continue
			}
			if !yield(p, info) {
				return
			}
		}
	}
}

func matchAny(name string, patterns []string) bool {
	for _, pat := range patterns {
		if ok, _ := filepath.Match(pat, name); ok {
			return true
		}
	}
	return len(patterns) == 0
}

// OlderThan keeps the files last modified before cutoff.
func OlderThan(seq iter.Seq2[string, fs.FileInfo], cutoff time.Time) iter.Seq2[string, fs.FileInfo] {
	return func(yield func(string, fs.FileInfo) bool) {
		for p, info := range seq {
			if info.ModTime().Before(cutoff) && !yield(p, info) {
				return
			}
		}
	}
}

// TotalSize adds up the sizes of the files of a walk.
func TotalSize(seq iter.Seq2[string, fs.FileInfo]) (n int, bytes int64) {
	for _, info := range seq {
		n++
		bytes += info.Size()
	}
	return n, bytes
}

// Chunk groups a sequence of paths into batches of at most size paths.
func Chunk(seq iter.Seq[string], size int) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		batch := make([]string, 0, size)
		for p := range seq {
			batch = append(batch, p)
			if len(batch) == size {
				if !yield(batch) {
					return
				}
				batch = make([]string, 0, size)
			}
		}
		if len(batch) > 0 {
			yield(batch)
		}
	}
}

// Sorted collects a walk and returns its paths sorted by size, largest first,
// so that the slowest files start first in a worker pool.
func Sorted(seq iter.Seq2[string, fs.FileInfo]) []string {
	type item struct {
		path string
		size int64
	}
	var items []item
	for p, info := range seq {
		items = append(items, item{p, info.Size()})
	}
	slices.SortFunc(items, func(a, b item) int {
		switch {
		case a.size > b.size:
			return -1
		case a.size < b.size:
			return 1
		}
		return strings.Compare(a.path, b.path)
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.path
	}
	return out
}

// ReadLines yields the numbered lines of one file. The file is closed when
// the loop over the iterator ends, early or not.
func ReadLines(path string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		f, err := os.Open(path)
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for n := 1; sc.Scan(); n++ {
			if !yield(n, sc.Text()) {
				return
			}
		}
	}
}

// Lines yields (path, line) for every line of every file, in order.
func Lines(paths ...string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, p := range paths {
			f, err := os.Open(p)
			if err != nil {
				continue
			}
			defer f.Close() // HAZ defer-in-loop
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if !yield(p, sc.Text()) {
					return
				}
			}
		}
	}
}

// Grep yields (path, line) for the lines containing needle. Each file is
// closed as soon as it has been scanned.
func Grep(needle string, paths iter.Seq[string]) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for p := range paths {
			stop := func() bool {
				f, err := os.Open(p)
				if err != nil {
					return false
				}
				defer f.Close()
				sc := bufio.NewScanner(f)
				for sc.Scan() {
					if strings.Contains(sc.Text(), needle) && !yield(p, sc.Text()) {
						return true
					}
				}
				return false
			}()
			if stop {
				return
			}
		}
	}
}

// First returns the first n paths of a sequence using a pull iterator.
func First(seq iter.Seq[string], n int) []string {
	next, stop := iter.Pull(seq)
	defer stop()
	out := make([]string, 0, n)
	for len(out) < n {
		p, ok := next()
		if !ok {
			break
		}
		out = append(out, p)
	}
	return out
}
