// Package archive verifies and builds the archives a registry serves: Go
// module zips and npm-style tar.gz package tarballs.
package archive

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Limits bound what an archive may contain.
type Limits struct {
	MaxFiles    int
	MaxFileSize int64
	MaxTotal    int64
}

// DefaultLimits are the limits of the Go module zip format.
var DefaultLimits = Limits{MaxFiles: 10000, MaxFileSize: 500 << 20, MaxTotal: 500 << 20}

// File is one entry to pack.
type File struct {
	Name string
	Mode int64
	Data []byte
}

// VerifyModuleZip checks a module zip: every file lives under prefix
// ("module@version/"), no name escapes it, no two names collide after case
// folding, and sizes stay within lim.
func VerifyModuleZip(path, prefix string, lim Limits) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	defer zr.Close()
	if len(zr.File) > lim.MaxFiles {
		return fmt.Errorf("archive: %d files, limit %d", len(zr.File), lim.MaxFiles)
	}
	seen := make(map[string]bool, len(zr.File))
	var total int64
	for _, f := range zr.File {
		if err := checkName(f.Name, prefix); err != nil {
			return err
		}
		key := strings.ToLower(f.Name)
		if seen[key] {
			return fmt.Errorf("archive: duplicate entry %q", f.Name)
		}
		seen[key] = true
		n, err := entrySize(f, lim.MaxFileSize)
		if err != nil {
			return err
		}
		if total += n; total > lim.MaxTotal {
			return fmt.Errorf("archive: uncompressed size exceeds %d bytes", lim.MaxTotal)
		}
	}
	return nil
}

// VerifyAll verifies module zips concurrently, one goroutine per archive,
// and returns the failures by path. archive/zip has panicked on crafted input
// before, so a panic is reported as an error instead of crashing the upload
// worker.
func VerifyAll(prefixes map[string]string, lim Limits) (failed map[string]error, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("archive: verify panicked: %v", r)
		}
	}()
	var mu sync.Mutex
	var wg sync.WaitGroup
	failed = make(map[string]error)
	for path, prefix := range prefixes {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			if verr := VerifyModuleZip(path, prefix, lim); verr != nil {
				mu.Lock()
				failed[path] = verr
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return failed, nil
}

// entrySize decompresses f to count its real size; the header can lie.
func entrySize(f *zip.File, limit int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, fmt.Errorf("archive: open %s: %w", f.Name, err)
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(rc, limit+1))
	if err != nil {
		return 0, fmt.Errorf("archive: read %s: %w", f.Name, err)
	}
	if n > limit {
		return 0, fmt.Errorf("archive: %s exceeds %d bytes", f.Name, limit)
	}
	return n, nil
}

// checkName rejects names outside prefix, absolute paths and dot-dot elements.
func checkName(name, prefix string) error {
	rel, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return fmt.Errorf("archive: %q is outside %q", name, prefix)
	}
	if rel == "" || strings.HasPrefix(rel, "/") || strings.Contains(rel, `\`) {
		return fmt.Errorf("archive: invalid name %q", name)
	}
	for _, elem := range strings.Split(rel, "/") {
		if elem == ".." || elem == "." {
			return fmt.Errorf("archive: invalid path element in %q", name)
		}
	}
	return nil
}

// HashZipEntries returns the SHA-256 of every regular file in the zip, for
// the go.sum-style directory hash shown on the module page.
func HashZipEntries(path string) (map[string]string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	sums := make(map[string]string, len(zr.File))
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("archive: open %s: %w", f.Name, err)
		}
		defer rc.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, rc); err != nil {
			return nil, fmt.Errorf("archive: read %s: %w", f.Name, err)
		}
		sums[f.Name] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// ListZip returns the names in a zip, for the file browser.
func ListZip(path string) ([]string, error) {
	zr, err := zip.OpenReader(path)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names, nil
}

// ExtractZip unpacks a verified module zip under dst, stripping prefix.
func ExtractZip(path, prefix, dst string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if err := checkName(f.Name, prefix); err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(strings.TrimPrefix(f.Name, prefix)))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		err := func() (err error) {
			rc, err := f.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, out.Close()) }()
			_, err = io.Copy(out, io.LimitReader(rc, DefaultLimits.MaxFileSize))
			return err
		}()
		if err != nil {
			return fmt.Errorf("archive: extract %s: %w", f.Name, err)
		}
	}
	return nil
}

// PackModuleZip writes files as a module zip under prefix. The file is
// removed again if anything fails.
func PackModuleZip(dst, prefix string, files []File) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	zw := zip.NewWriter(f)
	for _, file := range files {
		w, err := zw.Create(prefix + file.Name)
		if err != nil {
			return err
		}
		if _, err := w.Write(file.Data); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Sync()
}
