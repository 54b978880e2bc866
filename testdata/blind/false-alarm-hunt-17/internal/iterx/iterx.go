// Package iterx has iterator helpers built on package iter.
package iterx

import (
	"bufio"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
)

// Lines yields the lines of the file at path. The file is closed when the
// loop over the sequence ends, early or not.
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

// Files yields the regular files under root, in lexical order, whose
// extension is one of exts (every file when exts is empty).
func Files(root string, exts ...string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			if len(exts) > 0 && !slices.Contains(exts, filepath.Ext(path)) {
				return nil
			}
			if !yield(path, nil) {
				return filepath.SkipAll
			}
			return nil
		})
		if err != nil {
			yield("", err)
		}
	}
}

// Opened yields each path opened read-only. Every file is closed as soon as
// the loop body for it returns, before the next one is opened, so the body
// must not keep the *os.File.
func Opened(paths iter.Seq[string]) iter.Seq2[*os.File, error] {
	return func(yield func(*os.File, error) bool) {
		for p := range paths {
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

// Batch groups seq into slices of n elements; the last may be shorter.
func Batch[T any](seq iter.Seq[T], n int) iter.Seq[[]T] {
	n = max(n, 1)
	return func(yield func([]T) bool) {
		buf := make([]T, 0, n)
		for v := range seq {
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

// Filter yields the elements of seq for which keep returns true.
func Filter[T any](seq iter.Seq[T], keep func(T) bool) iter.Seq[T] {
	return func(yield func(T) bool) {
		for v := range seq {
			if keep(v) && !yield(v) {
				return
			}
		}
	}
}

// Map yields fn(v) for every v of seq.
func Map[T, R any](seq iter.Seq[T], fn func(T) R) iter.Seq[R] {
	return func(yield func(R) bool) {
		for v := range seq {
			if !yield(fn(v)) {
				return
			}
		}
	}
}
