// Package seq has range-over-func iterators over lines, files and chunks.
package seq

import (
	"bufio"
	"io"
	"io/fs"
	"iter"
	"os"
	"sync"
)

// Lines yields the numbered lines of r.
func Lines(r io.Reader) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		sc := bufio.NewScanner(r)
		for n := 1; sc.Scan(); n++ {
			if !yield(n, sc.Text()) {
				return
			}
		}
	}
}

// FileLines yields the lines of one file; the file is closed when the consumer
// stops early, finishes, or panics in its loop body.
func FileLines(path string) iter.Seq2[string, error] {
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

// Concat yields the lines of every file in order.
func Concat(paths []string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for _, p := range paths {
			f, err := os.Open(p)
			if err != nil {
				if !yield("", err) {
					return
				}
				continue
			}
			defer f.Close() // HAZ defer-in-loop
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if !yield(sc.Text(), nil) {
					return
				}
			}
		}
	}
}

// ConcatEach is Concat with each file handled by its own function literal, so
// each file is closed before the next is opened.
func ConcatEach(paths []string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for _, p := range paths {
			more := func() bool {
				f, err := os.Open(p)
				if err != nil {
					return yield("", err)
				}
				defer f.Close()
				sc := bufio.NewScanner(f)
				for sc.Scan() {
					if !yield(sc.Text(), nil) {
						return false
					}
				}
				return true
			}()
			if !more {
				return
			}
		}
	}
}

// Chunk groups seq into slices of n.
func Chunk[T any](s iter.Seq[T], n int) iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		buf := make([]T, 0, n)
		for v := range s {
			buf = append(buf, v)
			if len(buf) == n {
				if !yield(buf) {
					return
				}
				buf = make([]T, 0, n)
			}
		}
		if len(buf) > 0 {
			yield(buf)
		}
	}
}

// Locked yields the values of s while holding mu; the deferred unlock runs when
// the consumer breaks out of its loop too.
func Locked[T any](mu *sync.Mutex, s iter.Seq[T]) iter.Seq[T] {
	return func(yield func(T) bool) {
		mu.Lock()
		defer mu.Unlock()
		for v := range s {
			if !yield(v) {
				return
			}
		}
	}
}

// Files yields the regular files below root.
func Files(root *os.Root) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		err := fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && !yield(p, nil) {
				return fs.SkipAll
			}
			return nil
		})
		if err != nil {
			yield("", err)
		}
	}
}

// CountMatching counts the lines of path for which keep is true.
func CountMatching(path string, keep func(string) bool) (int, error) {
	n := 0
	for line, err := range FileLines(path) {
		if err != nil {
			return n, err
		}
		if keep(line) {
			n++
		}
	}
	return n, nil
}
