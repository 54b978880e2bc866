package fsx

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteGzip compresses data into a new file at path.
func WriteGzip(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	_, err = zw.Write(data)
	return err
}

// CompressFile writes a gzip-compressed copy of src to dst.
func CompressFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = io.Copy(zw, in)
	return err
}

// WriteLines writes lines to path through a buffer that is flushed before
// the file is closed.
func WriteLines(path string, lines []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadGzipJSON decodes the gzip-compressed JSON file at path into v.
func ReadGzipJSON(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return json.NewDecoder(zr).Decode(v)
}

// ListZip returns the names of the entries of the zip archive at path.
func ListZip(path string) ([]string, error) {
	rc, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", path, err)
	}
	defer rc.Close()
	names := make([]string, 0, len(rc.File))
	for _, f := range rc.File {
		names = append(names, f.Name)
	}
	return names, nil
}

// ExtractZip unpacks the archive at path into dir. Every entry is closed
// before the next one is opened.
func ExtractZip(path, dir string) error {
	rc, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer rc.Close()
	for _, zf := range rc.File {
		if !filepath.IsLocal(zf.Name) {
			return fmt.Errorf("%s: unsafe entry name %q", path, zf.Name)
		}
		if zf.FileInfo().IsDir() {
			if err := os.MkdirAll(filepath.Join(dir, zf.Name), 0o755); err != nil {
				return err
			}
			continue
		}
		if err := extractFile(zf, filepath.Join(dir, zf.Name)); err != nil {
			return err
		}
	}
	return nil
}

func extractFile(zf *zip.File, dst string) (err error) {
	r, err := zf.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, zf.Mode().Perm())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, r)
	return err
}

// ZipFiles writes the named files into a new zip archive at dst.
func ZipFiles(dst string, names []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	for _, name := range names {
		if err := addToZip(zw, name); err != nil {
			return err
		}
	}
	return zw.Close()
}

func addToZip(zw *zip.Writer, name string) error {
	in, err := os.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := zw.Create(filepath.Base(name))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

// WriteGzipLines writes lines, gzip-compressed, to a new file at path.
func WriteGzipLines(path string, lines []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := io.WriteString(zw, l+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// ZipGlob writes the files matching pattern into a new zip archive at dst.
func ZipGlob(dst, pattern string) (err error) {
	names, err := filepath.Glob(pattern)
	if err != nil {
		return err
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	for _, name := range names {
		in, err := os.Open(name)
		if err != nil {
			return err
		}
		defer in.Close() // HAZ defer-in-loop
		w, err := zw.Create(filepath.Base(name))
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, in); err != nil {
			return err
		}
	}
	return zw.Close()
}

// TarGz writes the named files into a new gzip-compressed tar archive.
func TarGz(dst string, names []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	for _, name := range names {
		if err := addToTar(tw, name); err != nil {
			return err
		}
	}
	return nil
}

func addToTar(tw *tar.Writer, name string) error {
	in, err := os.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.Base(name)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, in)
	return err
}
