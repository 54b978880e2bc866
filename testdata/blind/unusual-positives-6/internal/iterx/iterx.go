// Package iterx holds range-over-func iterators over files and sequences.
package iterx

import (
	"bufio"
	"io"
	"iter"
	"os"
)

// FileLines yields the lines of the file at path. The file is closed when
// the iteration ends, including when the loop body breaks out early.
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

// Open yields each path opened for reading, in order.
func Open(paths []string) iter.Seq2[*os.File, error] {
	return func(yield func(*os.File, error) bool) {
		for _, p := range paths {
			f, err := os.Open(p)
			if err != nil {
				if !yield(nil, err) {
					return
				}
				continue
			}
			defer f.Close() // HAZ defer-in-loop
			if !yield(f, nil) {
				return
			}
		}
	}
}

// Sizes yields each path with its size in bytes, or -1 when it cannot be read.
func Sizes(paths []string) iter.Seq2[string, int64] {
	return func(yield func(string, int64) bool) {
		for _, p := range paths {
			n, err := func() (int64, error) {
				f, err := os.Open(p)
				if err != nil {
					return 0, err
				}
				defer f.Close()
				return io.Copy(io.Discard, f)
			}()
			if err != nil {
				n = -1
			}
			if !yield(p, n) {
				return
			}
		}
	}
}

// Filter yields the values of seq for which keep reports true.
func Filter[T any](seq iter.Seq[T], keep func(T) bool) iter.Seq[T] {
	return func(yield func(T) bool) {
		for v := range seq {
			if keep(v) && !yield(v) {
				return
			}
		}
	}
}

// Chunk groups the values of seq into slices of at most n values.
func Chunk[T any](seq iter.Seq[T], n int) iter.Seq[[]T] {
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

// ReaderLines yields the lines of r, scanned on a background goroutine so a
// slow reader overlaps with the loop body.
func ReaderLines(r io.Reader) iter.Seq[string] {
	return func(yield func(string) bool) {
		ch := make(chan string)
		go func() { // HAZ goroutine-blocked-send
			defer close(ch)
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				ch <- sc.Text()
			}
		}()
		for line := range ch {
			if !yield(line) {
				return
			}
		}
	}
}

// ScanLines is ReaderLines with the scanner told to stop when the loop body
// breaks out early.
func ScanLines(r io.Reader) iter.Seq[string] {
	return func(yield func(string) bool) {
		ch := make(chan string)
		done := make(chan struct{})
		defer close(done)
		go func() {
			defer close(ch)
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				select {
				case ch <- sc.Text():
				case <-done:
					return
				}
			}
		}()
		for line := range ch {
			if !yield(line) {
				return
			}
		}
	}
}
