// Package seq provides range-over-func iterators over spool directories and
// the line-oriented files the ingest daemon picks up.
package seq

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
)

// Files yields the paths of regular files in dir whose extension is ext.
func Files(dir, ext string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			yield("", err)
			return
		}
		for _, e := range entries {
			if e.IsDir() || filepath.Ext(e.Name()) != ext {
				continue
			}
			if !yield(filepath.Join(dir, e.Name()), nil) {
				return
			}
		}
	}
}

// Lines yields the lines of the file at path. The file is closed when the
// iteration ends, including when the consumer breaks out early.
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

// CountLines counts the lines of every matching file in dir.
func CountLines(dir, ext string) (map[string]int, error) {
	counts := make(map[string]int)
	for path, err := range Files(dir, ext) {
		if err != nil {
			return nil, err
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		n := 0
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			n++
		}
		if err := sc.Err(); err != nil {
			return nil, err
		}
		counts[path] = n
	}
	return counts, nil
}

// Checksums returns the SHA-256 of every matching file in dir. Each file is
// opened and closed inside its own function literal.
func Checksums(dir, ext string) (map[string]string, error) {
	sums := make(map[string]string)
	for path, err := range Files(dir, ext) {
		if err != nil {
			return nil, err
		}
		sum, err := func() (string, error) {
			f, err := os.Open(path)
			if err != nil {
				return "", err
			}
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return "", err
			}
			return hex.EncodeToString(h.Sum(nil)), nil
		}()
		if err != nil {
			return nil, err
		}
		sums[path] = sum
	}
	return sums, nil
}

// Grep returns the lines of path containing needle, at most limit of them.
// The single file is closed by the iterator itself.
func Grep(path, needle string, limit int) ([]string, error) {
	var out []string
	for line, err := range Lines(path) {
		if err != nil {
			return out, err
		}
		if strings.Contains(line, needle) {
			out = append(out, line)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// readLines reads all lines from r.
func readLines(r io.Reader) ([]string, error) {
	var lines []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// OpenAll yields an open file for every path. Files are closed when the
// iteration ends.
func OpenAll(paths iter.Seq[string]) iter.Seq2[*os.File, error] {
	return func(yield func(*os.File, error) bool) {
		for p := range paths {
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

// EachFile calls fn with every path's open file, closing each one before
// the next is opened.
func EachFile(paths iter.Seq[string], fn func(*os.File) error) error {
	for p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return fn(f)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}
