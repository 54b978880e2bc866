// Package fsutil holds file-system helpers shared by the command-line
// tools: zip bundles, copies and size accounting.
package fsutil

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// ListZip returns the names of the entries in the zip file at path.
func ListZip(path string) ([]string, error) {
	zr, err := zip.OpenReader(path)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("fsutil: %w", err)
	}
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names, nil
}

// ReadZipEntry returns the contents of the named entry of a zip file.
func ReadZipEntry(path, name string) ([]byte, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("fsutil: %w", err)
	}
	defer zr.Close()
	rc, err := zr.Open(name)
	if err != nil {
		return nil, fmt.Errorf("fsutil: %s: %w", path, err)
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 256<<20))
}

// ZipFiles writes a zip archive at dst holding the named files under
// their base names.
func ZipFiles(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	for _, name := range files {
		if err := addFile(zw, name); err != nil {
			return err
		}
	}
	return zw.Close()
}

// addFile copies one file into zw.
func addFile(zw *zip.Writer, path string) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	w, err := zw.Create(filepath.Base(path))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, src)
	return err
}

// CopyFile copies src to dst, creating or truncating dst.
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
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return err
}

// hashReader returns the SHA-256 of everything read from r.
func hashReader(r io.Reader) ([]byte, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// SameContents reports whether the files a and b have identical contents.
func SameContents(a, b string) (bool, error) {
	f, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	ha, err := hashReader(f)
	if err != nil {
		return false, err
	}
	f, err = os.Open(b)
	if err != nil {
		return false, err
	}
	hb, err := hashReader(f)
	if err != nil {
		return false, err
	}
	return bytes.Equal(ha, hb), nil
}

// hashFile returns the SHA-256 of the named file.
func hashFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return hashReader(f)
}

// SameTree reports whether every file under a has an identical twin at
// the same relative path under b.
func SameTree(a, b string) (bool, error) {
	same := true
	err := filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(a, path)
		if err != nil {
			return err
		}
		ha, err := hashFile(path)
		if err != nil {
			return err
		}
		hb, err := hashFile(filepath.Join(b, rel))
		if errors.Is(err, fs.ErrNotExist) || (err == nil && !bytes.Equal(ha, hb)) {
			same = false
			return filepath.SkipAll
		}
		return err
	})
	return same, err
}

// treeSize returns the total size of the regular files under dir.
func treeSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			n += fi.Size()
		}
		return nil
	})
	return n, err
}

// DirSizes returns the total size of each directory directly under root,
// computing the sizes concurrently.
func DirSizes(root string) (map[string]int64, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		sizes = make(map[string]int64)
		errs  []error
	)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := treeSize(filepath.Join(root, e.Name()))
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			mu.Lock()
			sizes[e.Name()] = n
			mu.Unlock()
		}()
	}
	wg.Wait()
	return sizes, errors.Join(errs...)
}

// FileSizes returns the size of every regular file directly under root,
// statting them concurrently.
func FileSizes(root string) (map[string]int64, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		sizes = make(map[string]int64)
		errs  []error
	)
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			fi, err := e.Info()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			sizes[e.Name()] = fi.Size()
		}()
	}
	wg.Wait()
	return sizes, errors.Join(errs...)
}

// ZipDir writes a zip archive at dst holding the regular files directly
// under dir.
func ZipDir(dst, dir string) (err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		src, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		defer src.Close() // HAZ defer-in-loop
		w, err := zw.Create(e.Name())
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, src); err != nil {
			return err
		}
	}
	return zw.Close()
}

// WithLockFile runs fn while holding the lock file at path.
func WithLockFile(path string, fn func() error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("fsutil: %s is held: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("fsutil: releasing %s: %w", path, err)
		}
		return nil
	}()
	return fn()
}

// WithLockFileErr is WithLockFile for callers that need to know when the
// lock could not be released.
func WithLockFileErr(path string, fn func() error) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("fsutil: %s is held: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	defer func() {
		if rerr := os.Remove(path); rerr != nil && err == nil {
			err = fmt.Errorf("fsutil: releasing %s: %w", path, rerr)
		}
	}()
	return fn()
}
