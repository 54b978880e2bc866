// Package fileutil collects the file helpers used across the project. It is
// written against io/ioutil, like the rest of the code base.
package fileutil

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ReadLines returns the non-empty lines of a file.
func ReadLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			lines = append(lines, line)
		}
	}
	return lines, sc.Err()
}

// ReadConfig parses "key = value" lines.
func ReadConfig(path string) (map[string]string, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	return parseConfig(f)
}

// ReadConfigFile is ReadConfig with the error checked before the defer.
func ReadConfigFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseConfig(f)
}

// parseConfig reads "key = value" lines, skipping comments.
func parseConfig(r io.Reader) (map[string]string, error) {
	cfg := make(map[string]string)
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.IndexByte(line, '=')
		if i < 0 {
			return nil, fmt.Errorf("fileutil: line %d: missing '='", n)
		}
		cfg[strings.TrimSpace(line[:i])] = strings.TrimSpace(line[i+1:])
	}
	return cfg, sc.Err()
}

// WriteFileAtomic writes data to a temporary file and renames it over path.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	tmp, err := ioutil.TempFile(filepath.Dir(path), ".tmp-"+filepath.Base(path))
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

// CopyFile copies src to dst and reports a failed close of dst.
func CopyFile(dst, src string) (err error) {
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
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return err
}

// AppendLine appends one line to a log-style file.
func AppendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.WriteString(line + "\n")
	return err
}

// AppendLines appends lines and returns the error of the final close; the
// deferred close only covers the early returns.
func AppendLines(path string, lines []string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0644)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, l := range lines {
		if _, err := f.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return f.Close()
}

// SumFiles returns the combined SHA-256 of the given files.
func SumFiles(paths []string) (string, error) {
	h := sha256.New()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := io.Copy(h, f); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// HashFiles returns the SHA-256 of each file; each file is closed by hashOne
// before the next is opened.
func HashFiles(paths []string) (map[string]string, error) {
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		sum, err := hashOne(p)
		if err != nil {
			return nil, err
		}
		out[p] = sum
	}
	return out, nil
}

// hashOne returns the SHA-256 of one file.
func hashOne(path string) (string, error) {
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
}

// MergeFiles copies a and then b to dst.
func MergeFiles(dst io.Writer, a, b string) error {
	f, err := os.Open(a)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if _, err = io.Copy(dst, f); err != nil {
		return err
	}
	f, err = os.Open(b)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, f)
	return err
}

// Concat copies every file to dst, closing each one as it goes.
func Concat(dst io.Writer, paths ...string) error {
	for _, p := range paths {
		if err := copyInto(dst, p); err != nil {
			return err
		}
	}
	return nil
}

// copyInto copies one file to dst.
func copyInto(dst io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(dst, f)
	return err
}

// ReadHeader returns the first n bytes of a file.
func ReadHeader(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() error { // HAZ defer-ineffective-return
		return f.Close()
	}()
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF {
		err = nil
	}
	return buf[:m], err
}

// ProcessInput hands the named file, or stdin for "-", to fn.
func ProcessInput(path string, fn func(io.Reader) error) error {
	var cleanup func()
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		r = f
		cleanup = func() { f.Close() }
	}
	defer cleanup() // HAZ defer-nil-func
	return fn(r)
}

// ProcessInputSafe is ProcessInput with a no-op cleanup for stdin.
func ProcessInputSafe(path string, fn func(io.Reader) error) error {
	cleanup := func() {}
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		r = f
		cleanup = func() { f.Close() }
	}
	defer func() { cleanup() }()
	return fn(r)
}

// ListDir returns the names of the regular files in dir, sorted.
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

// DirSize returns the total size of the regular files under root.
func DirSize(root string) (int64, error) {
	var total int64
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.Mode().IsRegular() {
			total += info.Size()
		}
		return nil
	})
	return total, err
}

// RemoveOlder deletes the files in dir whose names sort before keep.
func RemoveOlder(dir, keep string) (int, error) {
	names, err := ListDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		if name >= keep {
			break
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
