// Package archive writes and reads the compressed segment files.
package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// WriteGzip writes data to path, gzip-compressed.
func WriteGzip(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = zw.Write(data)
	return err
}

// Compress copies r into w through a gzip stream.
func Compress(w io.Writer, r io.Reader) error {
	zw := gzip.NewWriter(w)
	closeZ := zw.Close
	defer closeZ() // HAZ defer-close-unchecked-write
	_, err := io.Copy(zw, r)
	return err
}

// CompressChecked is Compress with the trailer error reported.
func CompressChecked(w io.Writer, r io.Reader) error {
	zw := gzip.NewWriter(w)
	defer zw.Close()
	if _, err := io.Copy(zw, r); err != nil {
		return err
	}
	return zw.Close()
}

// ReadGzip returns the decompressed content of path.
func ReadGzip(path string) ([]byte, error) {
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
	return io.ReadAll(zr)
}

// Segment is a batch of records sealed into one compressed file.
type Segment struct {
	name    string
	records [][]byte
	created time.Time
}

// NewSegment starts an empty segment.
func NewSegment(name string) *Segment {
	return &Segment{name: name, created: time.Now()}
}

// Append adds a record, copying it.
func (s *Segment) Append(rec []byte) {
	s.records = append(s.records, bytes.Clone(rec))
}

// Seal writes the segment to dir as <name>.gz.
func (s *Segment) Seal(dir string) (err error) {
	f, err := os.Create(filepath.Join(dir, s.name+".gz"))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, rec := range s.records {
		if _, werr := zw.Write(rec); werr != nil {
			return werr
		}
	}
	return nil
}

// PackFiles writes files as a .tar.gz stream to dst.
func PackFiles(dst io.Writer, files map[string][]byte) (err error) {
	zw := gzip.NewWriter(dst)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, zw.Close()) }()
	return writeEntries(tw, files)
}

// PackFilesOrdered is PackFiles with the closes in the right order.
func PackFilesOrdered(dst io.Writer, files map[string][]byte) (err error) {
	zw := gzip.NewWriter(dst)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	return writeEntries(tw, files)
}

func writeEntries(tw *tar.Writer, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		hdr := &tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(files[n]); err != nil {
			return err
		}
	}
	return nil
}
