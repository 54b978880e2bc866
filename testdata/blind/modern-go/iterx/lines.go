// Package iterx has iterators over files and directories.
package iterx

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
)

// Lines yields the lines of the file at path. The file is closed when the
// range loop finishes or the consumer breaks out early.
func Lines(path string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield("", err)
			return
		}
		defer f.Close() // ok: read-only, runs when the iteration stops
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

// Records yields the CSV records of the file at path.
func Records(path string) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		f, err := os.Open(path)
		defer f.Close() // HAZ defer-before-error-check
		if err != nil {
			return
		}
		r := csv.NewReader(f)
		for {
			rec, err := r.Read()
			if err != nil {
				return
			}
			if !yield(rec) {
				return
			}
		}
	}
}

// RecordsErr is Records with errors reported to the consumer.
func RecordsErr(path string) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(nil, err)
			return
		}
		defer f.Close()
		r := csv.NewReader(f)
		r.ReuseRecord = false
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			if !yield(rec, err) || err != nil {
				return
			}
		}
	}
}

// Concat yields the lines of every file in turn.
func Concat(paths ...string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for _, p := range paths {
			f, err := os.Open(p)
			if err != nil {
				yield("", err)
				return
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

// Chain yields the lines of every file in turn, one open file at a time.
func Chain(paths ...string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for _, p := range paths {
			for line, err := range Lines(p) {
				if !yield(line, err) {
					return
				}
			}
		}
	}
}

// Files yields the regular files directly under dir with the given suffix.
func Files(dir, suffix string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		d, err := os.Open(dir)
		if err != nil {
			yield("", err)
			return
		}
		defer d.Close()
		for {
			ents, err := d.ReadDir(64)
			for _, e := range ents {
				if e.Type().IsRegular() && strings.HasSuffix(e.Name(), suffix) {
					if !yield(filepath.Join(dir, e.Name()), nil) {
						return
					}
				}
			}
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield("", err)
				return
			}
		}
	}
}

// Headers yields the first line of every file, each file closed before the
// next is opened.
func Headers(paths []string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, p := range paths {
			head, err := func() (string, error) {
				f, err := os.Open(p)
				if err != nil {
					return "", err
				}
				defer f.Close() // ok: inside a function literal, closed every iteration
				line, err := bufio.NewReader(f).ReadString('\n')
				if err != nil && !errors.Is(err, io.EOF) {
					return "", err
				}
				return strings.TrimRight(line, "\r\n"), nil
			}()
			if err != nil {
				continue
			}
			if !yield(p, head) {
				return
			}
		}
	}
}
