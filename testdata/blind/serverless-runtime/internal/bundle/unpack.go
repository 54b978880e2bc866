package bundle

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
)

const (
	maxFileSize  = 256 << 20
	maxTotalSize = 1 << 30
	maxFiles     = 20000
)

// ErrUnsafePath is returned for archive entries that would land outside
// the destination directory.
var ErrUnsafePath = errors.New("bundle: unsafe path in archive")

// unpack extracts the archive into dest, which must exist.
func unpack(archive, dest string) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer zr.Close()
	if len(zr.File) > maxFiles {
		return fmt.Errorf("bundle: %d files, limit %d", len(zr.File), maxFiles)
	}
	var total int64
	for _, zf := range zr.File {
		if err := extractFile(zf, dest, &total); err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
	}
	return nil
}

// extractFile writes one archive entry below dest.
func extractFile(zf *zip.File, dest string, total *int64) (err error) {
	target, err := safeJoin(dest, zf.Name)
	if err != nil {
		return err
	}
	if zf.FileInfo().IsDir() {
		return os.MkdirAll(target, 0o755)
	}
	if !zf.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is not a regular file", ErrUnsafePath, zf.Name)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, zf.Mode().Perm()|0o600)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	n, err := io.Copy(out, io.LimitReader(rc, maxFileSize+1))
	if err != nil {
		return err
	}
	if n > maxFileSize {
		return fmt.Errorf("bundle: %s larger than %d bytes", zf.Name, maxFileSize)
	}
	*total += n
	if *total > maxTotalSize {
		return fmt.Errorf("bundle: archive expands beyond %d bytes", maxTotalSize)
	}
	return nil
}

// safeJoin joins name below dest, rejecting absolute paths and "..".
func safeJoin(dest, name string) (string, error) {
	if name == "" || strings.Contains(name, "\\") || filepath.IsAbs(name) {
		return "", fmt.Errorf("%w: %q", ErrUnsafePath, name)
	}
	target := filepath.Join(dest, filepath.FromSlash(name))
	rel, err := filepath.Rel(dest, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: %q", ErrUnsafePath, name)
	}
	return target, nil
}

// hashEntries returns the sha256 of every regular file in the archive,
// for comparing two versions of a bundle.
func hashEntries(zr *zip.Reader) (map[string]string, error) {
	sums := make(map[string]string, len(zr.File))
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		err := func() error {
			rc, err := zf.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			h := sha256.New()
			if _, err := io.Copy(h, io.LimitReader(rc, maxFileSize)); err != nil {
				return err
			}
			sums[zf.Name] = hex.EncodeToString(h.Sum(nil))
			return nil
		}()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", zf.Name, err)
		}
	}
	return sums, nil
}

// Diff lists the files that differ between two archives.
func Diff(oldPath, newPath string) ([]string, error) {
	oldZ, err := zip.OpenReader(oldPath)
	if err != nil {
		return nil, err
	}
	defer oldZ.Close()
	newZ, err := zip.OpenReader(newPath)
	if err != nil {
		return nil, err
	}
	defer newZ.Close()
	a, err := hashEntries(&oldZ.Reader)
	if err != nil {
		return nil, err
	}
	b, err := hashEntries(&newZ.Reader)
	if err != nil {
		return nil, err
	}
	var changed []string
	for name, sum := range b {
		if a[name] != sum {
			changed = append(changed, name)
		}
	}
	for name := range a {
		if _, ok := b[name]; !ok {
			changed = append(changed, name)
		}
	}
	return changed, nil
}
