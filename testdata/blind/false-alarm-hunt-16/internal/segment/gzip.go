package segment

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// IndexEntry maps a segment file to the first offset it holds.
type IndexEntry struct {
	Name   string
	Offset int64
}

// WriteCompressed writes payload gzip-compressed to path.
func WriteCompressed(path string, payload []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()

	_, err = zw.Write(payload)
	return err
}

// WriteIndex writes the segment index as gzip-compressed "name offset" lines.
func WriteIndex(path string, entries []IndexEntry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestSpeed)
	if err != nil {
		return errors.Join(err, f.Close())
	}
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()

	for _, e := range entries {
		if _, err := fmt.Fprintf(zw, "%s %d\n", e.Name, e.Offset); err != nil {
			return err
		}
	}
	return nil
}

// ReadCompressed returns the inflated contents of a gzip file.
func ReadCompressed(path string) ([]byte, error) {
	f, err := openRO(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// Decompress inflates a .gz file into a new temporary file and returns the
// temporary file's name. The caller removes it.
func Decompress(path string) (tmp string, err error) {
	in, err := openRO(path)
	if err != nil {
		return "", err
	}
	defer in.Close()

	zr, err := gzip.NewReader(in)
	if err != nil {
		return "", err
	}
	defer zr.Close()

	out, err := os.CreateTemp("", "relay-*.log")
	if err != nil {
		return "", err
	}
	defer func() {
		err = errors.Join(err, out.Close())
		if err != nil {
			os.Remove(out.Name())
			tmp = ""
		}
	}()

	if _, err := io.Copy(out, zr); err != nil {
		return "", err
	}
	return out.Name(), nil
}

// ArchiveDir writes every regular file of dir into a .tar.gz at dst.
func ArchiveDir(dir, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()

	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := addFile(tw, filepath.Join(dir, e.Name()), e.Name()); err != nil {
			return err
		}
	}
	return nil
}

func addFile(tw *tar.Writer, path, name string) error {
	f, err := openRO(path)
	if err != nil {
		return err
	}
	defer f.Close()

	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
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
