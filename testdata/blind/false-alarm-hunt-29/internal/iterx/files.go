package iterx

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strings"
)

// Match is a line that contains the searched text.
type Match struct {
	Path string
	Line int
	Text string
}

// Lines yields the lines of the file at path. The file is closed when the
// loop ends, early or not.
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

// Files yields the regular files below root whose name ends in ext.
func Files(root, ext string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && strings.HasSuffix(p, ext) && !yield(p, nil) {
				return filepath.SkipAll
			}
			return nil
		})
		if err != nil {
			yield("", err)
		}
	}
}

// CountLines sums the line counts of paths. Each file is closed before the
// next one is opened.
func CountLines(paths iter.Seq[string]) (int, error) {
	total := 0
	for p := range paths {
		n, err := countFile(p)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

func countFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// Grep returns the lines of the files in paths that contain needle.
func Grep(paths iter.Seq[string], needle string) ([]Match, error) {
	var out []Match
	for p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		ms, err := scanMatches(f, p, needle)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	return out, nil
}

// GrepFiles is Grep for large file sets: every file is closed at the end of
// its own iteration.
func GrepFiles(paths iter.Seq[string], needle string) ([]Match, error) {
	var out []Match
	for p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			ms, err := scanMatches(f, p, needle)
			out = append(out, ms...)
			return err
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func scanMatches(r io.Reader, name, needle string) ([]Match, error) {
	var out []Match
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		if strings.Contains(sc.Text(), needle) {
			out = append(out, Match{Path: name, Line: n, Text: sc.Text()})
		}
	}
	return out, sc.Err()
}

// FirstLine returns the first line of every file in paths, skipping empty
// files. Errors are collected rather than stopping the walk.
func FirstLine(paths iter.Seq[string]) (map[string]string, error) {
	out := make(map[string]string)
	var errs []error
	for p := range paths {
		for line, err := range Lines(p) {
			if err != nil {
				errs = append(errs, err)
				break
			}
			out[p] = line
			break
		}
	}
	return out, errors.Join(errs...)
}
