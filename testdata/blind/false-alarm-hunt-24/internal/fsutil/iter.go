package fsutil

import (
	"bufio"
	"bytes"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Files yields the regular files under root whose names end in ext, in
// lexical order. Unreadable directories are skipped.
func Files(root, ext string) iter.Seq[string] {
	return func(yield func(string) bool) {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && strings.HasSuffix(p, ext) && !yield(p) {
				return fs.SkipAll
			}
			return nil
		})
	}
}

// Lines yields the lines of the file at path. The file is opened when the
// loop starts and closed when the loop body stops early or the file ends.
func Lines(path string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield("", err)
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
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

// Grep returns the lines of path that match re.
func Grep(path string, re *regexp.Regexp) ([]string, error) {
	var hits []string
	for line, err := range Lines(path) {
		if err != nil {
			return nil, err
		}
		if re.MatchString(line) {
			hits = append(hits, line)
		}
	}
	return hits, nil
}

// CountLines reports the number of lines of every file under root with ext.
// Each file is closed before the next one is opened.
func CountLines(root, ext string) (map[string]int, error) {
	counts := make(map[string]int)
	for p := range Files(root, ext) {
		n, err := func() (int, error) {
			f, err := os.Open(p)
			if err != nil {
				return 0, err
			}
			defer f.Close()
			return CountNewlines(f)
		}()
		if err != nil {
			return nil, err
		}
		counts[p] = n
	}
	return counts, nil
}

// CountNewlines counts '\n' bytes in r.
func CountNewlines(r io.Reader) (int, error) {
	buf := make([]byte, 32*1024)
	n := 0
	for {
		c, err := r.Read(buf)
		n += bytes.Count(buf[:c], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
