package tsbuf

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Compact gzips one finished segment next to itself and removes the original.
func Compact(src string) error {
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
	defer zw.Close()  // HAZ defer-order-inverted defer-close-unchecked-write
	defer out.Close() // HAZ defer-close-unchecked-write

	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	return os.Remove(src)
}

// ArchiveSegment gzips src into dst. The gzip stream is closed before the
// file, and both close errors reach the caller.
func ArchiveSegment(src, dst string) (err error) {
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
	zw.Name = filepath.Base(src)
	defer func() { err = errors.Join(err, zw.Close()) }()

	_, err = io.Copy(zw, in)
	return err
}

// ArchiveOlder archives every segment in dir except the newest keep ones and
// returns how many were archived.
func ArchiveOlder(dir string, keep int) (int, error) {
	names, err := Segments(dir)
	if err != nil {
		return 0, err
	}
	if len(names) <= keep {
		return 0, nil
	}
	n := 0
	for _, name := range names[:len(names)-keep] {
		if err := ArchiveSegment(name, name+".gz"); err != nil {
			return n, fmt.Errorf("archive %s: %w", name, err)
		}
		if err := os.Remove(name); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ReadArchive decodes the points of a gzipped segment.
func ReadArchive(path string) ([]Point, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	return decodePoints(zr, path)
}

// ArchiveHeader returns the original name and time stored in the header of a
// gzipped segment.
func ArchiveHeader(path string) (string, time.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", time.Time{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%s: %w", path, err)
	}
	return zr.Name, zr.ModTime, nil
}
