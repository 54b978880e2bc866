package render

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"

	"example.com/fah24/internal/fsutil"
)

// WriteGzip writes data gzip-compressed to path (used for the cached
// schema snapshot shipped with releases).
func WriteGzip(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = zw.Write(data)
	return err
}

// WriteGzipLevel is WriteGzip with a compression level. The gzip stream is
// closed (footer written) before the file, and both errors are reported.
func WriteGzipLevel(path string, data []byte, level int) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw, err := gzip.NewWriterLevel(f, level)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = zw.Write(data)
	return err
}

// ReadGzip returns the decompressed contents of a .gz file.
func ReadGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return io.ReadAll(zr)
}

// WriteZip stores files in a zip archive at path, in name order.
func WriteZip(path string, files map[string][]byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(files[name]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// WriteTarGz packs files into a gzip'd tarball at path, atomically.
func WriteTarGz(path string, files map[string][]byte) error {
	return fsutil.WriteWith(path, 0o644, func(w io.Writer) error {
		zw := gzip.NewWriter(w)
		tw := tar.NewWriter(zw)
		for _, name := range slices.Sorted(maps.Keys(files)) {
			body := files[name]
			hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(body))}
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			if _, err := tw.Write(body); err != nil {
				return err
			}
		}
		if err := tw.Close(); err != nil {
			return err
		}
		return zw.Close()
	})
}
