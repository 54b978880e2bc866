// Package fsutil holds the small file-system helpers used by the cron jobs:
// copying, rotating, pruning and temporary workspaces.
package fsutil

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// CopyFile copies src to dst, creating dst with mode perm. The source is
// read-only; the destination Close error is joined into the result.
func CopyFile(dst, src string, perm os.FileMode) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return out.Sync()
}

// EnsureDir creates dir and checks that it is a directory.
func EnsureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}

// Exists reports whether path exists.
func Exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Touch creates path or updates its modification time.
func Touch(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	now := time.Now()
	return os.Chtimes(path, now, now)
}

// WithTempDir creates a temporary directory, runs fn in it and removes it
// afterwards. The removal is an ordinary call after fn, not a deferred one,
// and its error is reported.
func WithTempDir(pattern string, fn func(dir string) error) error {
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		return err
	}
	runErr := fn(dir)
	rmErr := os.RemoveAll(dir)
	return errors.Join(runErr, rmErr)
}

// DirSize sums the sizes of the regular files under root.
func DirSize(root string) (int64, error) {
	var total int64
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	return total, err
}

// Rotate shifts name.N to name.N+1 for N < keep and moves name to name.1.
func Rotate(name string, keep int) error {
	for i := keep - 1; i >= 1; i-- {
		from := fmt.Sprintf("%s.%d", name, i)
		to := fmt.Sprintf("%s.%d", name, i+1)
		if err := os.Rename(from, to); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(name, name+".1"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// PruneOlderThan removes regular files in dir older than age and returns the
// removed names.
func PruneOlderThan(dir string, age time.Duration, now time.Time) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range ents {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if now.Sub(info.ModTime()) < age {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.Remove(p); err != nil {
			return removed, err
		}
		removed = append(removed, p)
	}
	return removed, nil
}

// ReadLines returns the non-empty lines of a read-only file.
func ReadLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			lines = append(lines, s)
		}
	}
	return lines, sc.Err()
}

// WriteLines writes lines to path; Flush and Close errors both surface.
func WriteLines(path string, lines []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := w.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return w.Flush()
}

// HashFiles returns the SHA-256 of every path. Each file is opened inside a
// function literal so its deferred Close runs at the end of the iteration.
func HashFiles(paths []string) (map[string]string, error) {
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		sum, err := func() (string, error) {
			f, err := os.Open(p)
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
			return nil, fmt.Errorf("hash %s: %w", p, err)
		}
		sums[p] = sum
	}
	return sums, nil
}

// SameContents compares two read-only files.
func SameContents(a, b string) (bool, error) {
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
	ba, err := io.ReadAll(fa)
	if err != nil {
		return false, err
	}
	bb, err := io.ReadAll(fb)
	if err != nil {
		return false, err
	}
	return bytes.Equal(ba, bb), nil
}

// Newest returns the most recently modified entries of dir, newest first.
func Newest(dir string, n int) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type item struct {
		name string
		mod  time.Time
	}
	var items []item
	for _, e := range ents {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			items = append(items, item{e.Name(), info.ModTime()})
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].mod.After(items[j].mod) })
	var out []string
	for i := 0; i < len(items) && i < n; i++ {
		out = append(out, items[i].name)
	}
	return out, nil
}
