package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"example.com/up8/internal/fsutil"
)

// CompressFile gzips the file src into dst.
func CompressFile(dst, src string) (err error) {
	in, err := fsutil.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := fsutil.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, out.Close()) }()
	zw.Name = filepath.Base(src)
	_, err = io.Copy(zw, in)
	return err
}

// PackDir writes the regular files directly inside dir to dst as a .tar.gz.
func PackDir(dst, dir string) (err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	out, err := fsutil.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := addFile(tw, filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// PackFiles writes the named files to dst as a .tar.gz.
func PackFiles(dst string, files []string) (err error) {
	out, err := fsutil.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, path := range files {
		if err := addFile(tw, path); err != nil {
			return err
		}
	}
	return nil
}

// addFile appends the file at path to tw.
func addFile(tw *tar.Writer, path string) error {
	f, err := fsutil.Open(path)
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
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Record is one line of an artifact access log.
type Record struct {
	Artifact string `json:"artifact"`
	Client   string `json:"client"`
	Bytes    int64  `json:"bytes"`
}

// meteredGzip is a gzip writer that counts the uncompressed bytes written
// through it. Close, Flush and Reset are promoted from *gzip.Writer.
type meteredGzip struct {
	*gzip.Writer
	written int64
}

// Write implements io.Writer.
func (m *meteredGzip) Write(p []byte) (int, error) {
	n, err := m.Writer.Write(p)
	m.written += int64(n)
	return n, err
}

// EncodeRecords streams recs to w as gzip-compressed JSON lines and returns
// the uncompressed size.
func EncodeRecords(w io.Writer, recs []Record) (int64, error) {
	mz := &meteredGzip{Writer: gzip.NewWriter(w)}
	defer mz.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(mz)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return mz.written, err
		}
	}
	return mz.written, nil
}

// EncodeRecordsChecked is EncodeRecords reporting the error of the final
// Close, which writes the gzip trailer.
func EncodeRecordsChecked(w io.Writer, recs []Record) (n int64, err error) {
	mz := &meteredGzip{Writer: gzip.NewWriter(w)}
	defer func() { err = errors.Join(err, mz.Close()) }()
	enc := json.NewEncoder(mz)
	for _, r := range recs {
		if err = enc.Encode(r); err != nil {
			return mz.written, err
		}
	}
	return mz.written, nil
}

// WriteCSV writes the files of m as CSV rows to w.
func WriteCSV(w io.Writer, m Manifest) error {
	cw := csv.NewWriter(w)
	defer cw.Flush()
	if err := cw.Write([]string{"name", "size", "sha256"}); err != nil {
		return err
	}
	for _, fi := range m.Files {
		if err := cw.Write([]string{fi.Name, strconv.FormatInt(fi.Size, 10), fi.SHA256}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CopyFrom copies r to dst and then releases r: closers are closed, byte
// readers are reset so their buffer can be collected.
func CopyFrom(dst io.Writer, r io.Reader) (int64, error) {
	var release func()
	switch v := r.(type) {
	case io.ReadCloser:
		release = func() { v.Close() }
	case *bytes.Reader:
		release = func() { v.Reset(nil) }
	}
	defer release() // HAZ defer-nil-func
	return io.Copy(dst, r)
}

// CopyAndClose copies r to dst and closes r when it is a Closer.
func CopyAndClose(dst io.Writer, r io.Reader) (int64, error) {
	release := func() {}
	if c, ok := r.(io.Closer); ok {
		release = func() { c.Close() }
	}
	defer release()
	return io.Copy(dst, r)
}
