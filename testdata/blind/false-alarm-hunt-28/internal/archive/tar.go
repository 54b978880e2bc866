// Package archive writes and reads the tarballs and zips forge ships
// build outputs in.
package archive

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteTarGz packs files (relative to root) into a gzip-compressed tarball.
// Writers are closed innermost first, and every close error is kept.
func WriteTarGz(dst, root string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	for _, name := range files {
		if err := addFile(tw, root, name); err != nil {
			return fmt.Errorf("add %s: %w", name, err)
		}
	}
	return nil
}

// addFile writes one file into tw under its slash-separated relative name.
func addFile(tw *tar.Writer, root, name string) error {
	f, err := os.Open(filepath.Join(root, name))
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.ToSlash(name)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// CompressFile writes a gzip copy of src to src+".gz" (used for build logs
// before they are uploaded).
func CompressFile(src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(src + ".gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	zw.Name = filepath.Base(src)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, out.Close()) }() // HAZ defer-order-inverted
	_, err = io.Copy(zw, in)
	return err
}

// OriginalName returns the file name recorded in a gzip header, as set by
// CompressFile.
func OriginalName(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return zr.Name, nil
}

// ExtractTarGz unpacks the gzip-compressed tarball at src into dst.
func ExtractTarGz(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	return Extract(f, dst)
}

// Extract unpacks a gzip-compressed tar stream into dst, refusing entries
// that would land outside dst.
func Extract(r io.Reader, dst string) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		target, err := safeJoin(dst, hdr.Name)
		if err != nil {
			return err
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := writeEntry(target, hdr.FileInfo().Mode(), tr); err != nil {
				return fmt.Errorf("extract %s: %w", hdr.Name, err)
			}
		}
	}
}

// writeEntry creates path with mode and fills it from r.
func writeEntry(path string, mode fs.FileMode, r io.Reader) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode.Perm())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.Copy(f, r)
	return err
}

// safeJoin joins name onto dir and rejects results that escape dir.
func safeJoin(dir, name string) (string, error) {
	target := filepath.Join(dir, filepath.FromSlash(name))
	rel, err := filepath.Rel(dir, target)
	if err != nil {
		return "", err
	}
	if rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("archive entry %q escapes %s", name, dir)
	}
	return target, nil
}
