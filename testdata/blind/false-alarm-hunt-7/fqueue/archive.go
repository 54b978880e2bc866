package fqueue

import (
	"compress/gzip"
	"errors"
	"io"
	"os"
)

// Archive compresses a sealed segment into dst.
func Archive(src, dst string) error {
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

// ArchiveSegment compresses src into dst. The gzip writer is closed
// explicitly before the file, and the file's Close error is joined into the
// named result.
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
	zw.Name = src
	if _, err = io.Copy(zw, in); err != nil {
		return err
	}
	if err = zw.Close(); err != nil {
		return err
	}
	return out.Sync()
}

// ArchiveStream compresses src into dst with deferred closes in the right
// LIFO order: the file's close is registered first, so the gzip writer is
// closed (and its footer written) before the file.
func ArchiveStream(src io.Reader, dst string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = io.Copy(zw, src)
	return err
}

// Restore decompresses an archived segment back into dst.
func Restore(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		return err
	}
	defer zr.Close()
	return WriteFileAtomic(dst, func(w io.Writer) error {
		_, err := io.Copy(w, zr)
		return err
	})
}

// ArchivedSize returns the uncompressed size of an archive.
func ArchivedSize(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	return io.Copy(io.Discard, zr)
}
