// Package archive writes and reads snapshot bundles (gzip-compressed tar
// files) and their checksum files.
package archive

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// File is one member of a bundle.
type File struct {
	Name string // name inside the bundle
	Path string // source path on disk
}

// WriteBundle writes files into a new gzip-compressed tar at path.
func WriteBundle(path string, files []File) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()

	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()

	for _, file := range files {
		if err := addFile(tw, file); err != nil {
			return fmt.Errorf("bundle %s: %w", path, err)
		}
	}
	return nil
}

// addFile copies one source file into tw.
func addFile(tw *tar.Writer, file File) error {
	src, err := os.Open(file.Path)
	if err != nil {
		return err
	}
	defer src.Close()

	st, err := src.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
	if err != nil {
		return err
	}
	hdr.Name = file.Name
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, src)
	return err
}

// ReadBundle returns the regular files of the bundle at path, keyed by name.
func ReadBundle(path string, maxSize int64) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("bundle %s: %w", path, err)
	}
	defer zr.Close()
	defer f.Close()

	out := make(map[string][]byte)
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if hdr.Size > maxSize {
			return nil, fmt.Errorf("bundle %s: %s is %d bytes, limit %d", path, hdr.Name, hdr.Size, maxSize)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		out[hdr.Name] = b
	}
}

// CompressFile writes a gzip-compressed copy of src to dst.
func CompressFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()

	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close() // HAZ defer-order-inverted
	defer out.Close()

	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return out.Sync()
}

// CompressStream gzip-compresses src into dst.
func CompressStream(dst io.Writer, src io.Reader) error {
	zw := gzip.NewWriter(dst)
	if _, err := io.Copy(zw, src); err != nil {
		zw.Close()
		return err
	}
	return zw.Close()
}
