// Package fsutil holds the file helpers shared by the command line tools.
// Most of it predates io.ReadAll/os.ReadFile and still uses io/ioutil.
package fsutil

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// ConcatFiles returns the contents of all named files, in order.
func ConcatFiles(names []string) ([]byte, error) {
	var out []byte
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		b, err := ioutil.ReadAll(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		out = append(out, b...)
	}
	return out, nil
}

// CountLines counts the lines of every named file.
func CountLines(names []string) (map[string]int, error) {
	counts := make(map[string]int, len(names))
	for _, name := range names {
		n, err := func() (int, error) {
			f, err := os.Open(name)
			if err != nil {
				return 0, err
			}
			defer f.Close() // ok: closed at the end of each iteration's literal
			sc := bufio.NewScanner(f)
			n := 0
			for sc.Scan() {
				n++
			}
			return n, sc.Err()
		}()
		if err != nil {
			return nil, err
		}
		counts[name] = n
	}
	return counts, nil
}

// countFile is the named-helper form of the loop body above.
func countFile(name string) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close() // ok: read-only
	return bytes.Count(mustRead(f), []byte{'\n'}), nil
}

func mustRead(r io.Reader) []byte {
	b, err := ioutil.ReadAll(r)
	if err != nil {
		return nil
	}
	return b
}

// TotalLines sums countFile over names.
func TotalLines(names []string) (int, error) {
	total := 0
	for _, name := range names {
		n, err := countFile(name)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// FirstLine returns the first line of the file at path.
func FirstLine(path string) (string, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	r := bufio.NewReader(f)
	line, err := r.ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// LastLine returns the last non-empty line of the file at path.
func LastLine(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close() // ok: after the error check
	var last string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			last = t
		}
	}
	return last, sc.Err()
}

// WriteLines writes lines to path, one per line.
func WriteLines(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := fmt.Fprintln(f, l); err != nil {
			return err
		}
	}
	return nil
}

// WriteLinesBuffered writes lines through a buffer and reports close errors.
func WriteLinesBuffered(path string, lines []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := w.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return w.Flush()
}

// AppendLine appends one line to a log-style file.
func AppendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // ok: the success path returns the checked Close below
	if _, err := f.WriteString(line + "\n"); err != nil {
		return err
	}
	return f.Close()
}

// WriteFileAtomic writes data to a temp file next to path and renames it.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	tmp, err := ioutil.TempFile(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), perm); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// CopyFile copies src to dst and reports errors from closing dst.
func CopyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return err
}

// SameContent reports whether two files have identical content.
func SameContent(a, b string) (bool, error) {
	f, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	left, err := ioutil.ReadAll(f)
	if err != nil {
		return false, err
	}
	f, err = os.Open(b)
	if err != nil {
		return false, err
	}
	right, err := ioutil.ReadAll(f)
	if err != nil {
		return false, err
	}
	return bytes.Equal(left, right), nil
}

// SameSize compares sizes; each file gets its own variable.
func SameSize(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	sa, err := fa.Stat()
	if err != nil {
		return false, err
	}
	sb, err := fb.Stat()
	if err != nil {
		return false, err
	}
	return sa.Size() == sb.Size(), nil
}

// Follow re-reads dir/current every interval and hands its content to fn.
// It runs for the life of the process.
func Follow(dir string, interval time.Duration, fn func([]byte)) {
	for {
		f, err := os.Open(filepath.Join(dir, "current"))
		if err != nil {
			time.Sleep(interval)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		b, err := ioutil.ReadAll(f)
		if err == nil {
			fn(b)
		}
		time.Sleep(interval)
	}
}

// FollowUntil is Follow with a stop channel and per-iteration cleanup.
func FollowUntil(dir string, interval time.Duration, stop <-chan struct{}, fn func([]byte)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		b, err := ioutil.ReadFile(filepath.Join(dir, "current"))
		if err == nil {
			fn(b)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// CloseAll closes files handed over by a caller once the caller is done
// with the batch.
func CloseAll(files []*os.File, done func()) {
	for _, f := range files {
		defer func() { // HAZ defer-in-loop loop-var-capture
			if err := f.Close(); err != nil {
				fmt.Fprintln(os.Stderr, "close:", err)
			}
		}()
		fmt.Fprintln(os.Stderr, "queued close of", f.Name())
	}
	done()
}

// CloseEach closes the files immediately, passing each one explicitly.
func CloseEach(files []*os.File) []error {
	var errs []error
	for _, f := range files {
		func(f *os.File) {
			defer func() { // ok: inside a per-iteration literal, and f is a parameter
				if r := recover(); r != nil {
					errs = append(errs, fmt.Errorf("close %v: %v", f.Name(), r))
				}
			}()
			if err := f.Close(); err != nil {
				errs = append(errs, err)
			}
		}(f)
	}
	return errs
}

// ListDir returns the sorted names of regular files in dir.
func ListDir(dir string) ([]string, error) {
	infos, err := ioutil.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, fi := range infos {
		if fi.Mode().IsRegular() {
			names = append(names, fi.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// ReplaceInFiles rewrites old to new in every file, one temp file at a time.
func ReplaceInFiles(paths []string, old, new string) error {
	for _, p := range paths {
		b, err := ioutil.ReadFile(p)
		if err != nil {
			return err
		}
		if !bytes.Contains(b, []byte(old)) {
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		out := bytes.ReplaceAll(b, []byte(old), []byte(new))
		if err := WriteFileAtomic(p, out, fi.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}
