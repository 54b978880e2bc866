// Package archive builds the tar.gz and zip bundles produced by the backup
// job. Writers are closed innermost first and every Close error is checked.
package archive

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Options controls what goes into an archive.
type Options struct {
	Exclude []string
	MaxSize int64
}

// Skip reports whether rel is excluded.
func (o Options) Skip(rel string, size int64) bool {
	if o.MaxSize > 0 && size > o.MaxSize {
		return true
	}
	for _, pat := range o.Exclude {
		if ok, _ := filepath.Match(pat, filepath.Base(rel)); ok {
			return true
		}
		if strings.HasPrefix(rel, strings.TrimSuffix(pat, "/")+"/") {
			return true
		}
	}
	return false
}

// TarGz writes root into a gzip-compressed tarball at dst. The deferred
// closes are safety nets for the error paths: LIFO order runs them as
// tw, zw, f, and the success path closes each explicitly and checks.
func TarGz(dst, root string, opt Options) (files int, err error) {
	f, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	defer zw.Close()
	tw := tar.NewWriter(zw)
	defer tw.Close()

	files, err = addTree(tw, root, opt)
	if err != nil {
		return files, err
	}
	if err := tw.Close(); err != nil {
		return files, fmt.Errorf("tar: %w", err)
	}
	if err := zw.Close(); err != nil {
		return files, fmt.Errorf("gzip: %w", err)
	}
	if err := f.Close(); err != nil {
		return files, fmt.Errorf("close %s: %w", dst, err)
	}
	return files, nil
}

func addTree(tw *tar.Writer, root string, opt Options) (int, error) {
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if opt.Skip(rel, info.Size()) {
			return nil
		}
		if err := addFile(tw, path, filepath.ToSlash(rel), info); err != nil {
			return err
		}
		n++
		return nil
	})
	return n, err
}

// addFile copies one read-only file into the tar stream.
func addFile(tw *tar.Writer, path, name string, info fs.FileInfo) error {
	hdr, err := tar.FileInfoHeader(info, "")
	if err != nil {
		return err
	}
	hdr.Name = name
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}

// Zip writes the named files into a zip archive; the zip writer and the
// file are closed through a deferred closure that joins both errors into
// the named result, zip first.
func Zip(dst string, paths []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer func() {
		err = errors.Join(err, zw.Close(), f.Close())
	}()
	for _, p := range paths {
		if err := addZipEntry(zw, p); err != nil {
			return fmt.Errorf("zip %s: %w", p, err)
		}
	}
	return nil
}

func addZipEntry(zw *zip.Writer, path string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := zw.Create(filepath.Base(path))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

// List returns the names in a tar.gz archive; everything is read-only.
func List(path string) ([]string, error) {
	f, err := os.Open(path)
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

// Verify checks that every archive in dir can be listed. Each archive is
// handled by List, whose defers run per call, not per loop iteration here.
func Verify(dir string) (map[string]int, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.tar.gz"))
	if err != nil {
		return nil, err
	}
	counts := make(map[string]int, len(matches))
	for _, m := range matches {
		names, err := List(m)
		if err != nil {
			return counts, fmt.Errorf("verify %s: %w", m, err)
		}
		counts[m] = len(names)
	}
	return counts, nil
}
