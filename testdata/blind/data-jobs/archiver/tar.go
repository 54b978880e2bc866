// Package archiver creates and extracts tar, zip and gzip archives.
package archiver

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

	"example.com/etl/fsutil"
)

// CreateTarGz archives the tree under root into dst, replacing it atomically.
func CreateTarGz(dst, root string) error {
	af, err := fsutil.CreateAtomic(dst, 0o644)
	if err != nil {
		return err
	}
	defer af.Abort() // ok: no-op once committed
	gz := gzip.NewWriter(af)
	tw := tar.NewWriter(gz)
	if err := addTree(tw, root); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return af.Commit()
}

func addTree(tw *tar.Writer, root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return nil
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if info.IsDir() {
			hdr.Name += "/"
			return tw.WriteHeader(hdr)
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		return copyInto(tw, path)
	})
}

func copyInto(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

func addFile(tw *tar.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(info, "")
	if err != nil {
		return err
	}
	hdr.Name = name
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// WriteTarGz writes the named files into a gzip-compressed tar stream on w.
func WriteTarGz(w io.Writer, files []string) (err error) {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, gz.Close()) }()
	for _, p := range files {
		if err := addFile(tw, p, filepath.Base(p)); err != nil {
			return err
		}
	}
	return nil
}

// WriteTar writes the named files as an uncompressed tar stream on w.
func WriteTar(w io.Writer, files []string) (err error) {
	tw := tar.NewWriter(w)
	defer func() { err = errors.Join(err, tw.Close()) }() // ok: w is the caller's, not closed here
	for _, p := range files {
		if err := addFile(tw, p, filepath.Base(p)); err != nil {
			return err
		}
	}
	return nil
}

// ExtractTarGz unpacks the .tar.gz at src into dst.
func ExtractTarGz(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	return ExtractTarGzReader(f, dst)
}

// ExtractTarGzReader unpacks a gzip-compressed tar stream into dst.
func ExtractTarGzReader(r io.Reader, dst string) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("archiver: %w", err)
	}
	defer zr.Close()
	return extractTar(tar.NewReader(zr), dst)
}

func extractTar(tr *tar.Reader, dst string) error {
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
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
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := writeFile(target, tr, hdr.FileInfo().Mode().Perm()); err != nil {
				return err
			}
		}
	}
}

// ListTarGz returns the entry names of the .tar.gz at src.
func ListTarGz(src string) ([]string, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var names []string
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names, nil
		}
		if err != nil {
			return names, err
		}
		names = append(names, hdr.Name)
	}
}

// safeJoin joins name below dst and rejects entries that would escape it.
func safeJoin(dst, name string) (string, error) {
	p := filepath.Join(dst, filepath.FromSlash(name))
	rel, err := filepath.Rel(dst, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("archiver: entry %q escapes %s", name, dst)
	}
	return p, nil
}

func writeFile(path string, r io.Reader, perm os.FileMode) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(f, r)
	return err
}
