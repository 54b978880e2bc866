package archiver

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"example.com/etl/fsutil"
)

// CompressFile gzips src into dst, replacing dst atomically.
func CompressFile(src, dst string, level int) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	af, err := fsutil.CreateAtomic(dst, 0o644)
	if err != nil {
		return err
	}
	defer af.Abort()
	zw, err := gzip.NewWriterLevel(af, level)
	if err != nil {
		return err
	}
	zw.Name = filepath.Base(src)
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return af.Commit()
}

// DecompressFile writes the decompressed content of src to dst.
func DecompressFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	defer zr.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, zr)
	return err
}

// GzipStream compresses src into a new file at dst.
func GzipStream(dst string, src io.Reader) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	if _, err := io.Copy(zw, src); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// WriteGzipJSON writes v as gzip-compressed JSON to path.
func WriteGzipJSON(path string, v any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(zw).Encode(v)
}

// WriteGzipLines writes lines to a gzip file at path.
func WriteGzipLines(path string, lines []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: runs before f.Close, error kept
	bw := bufio.NewWriter(zw)
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadGzipLines calls fn for each line of the gzip file at path.
func ReadGzipLines(path string, fn func(line string) error) error {
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
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if err := fn(sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}

type stackCloser struct {
	io.Reader
	closers []io.Closer
}

// Close closes the layers from the outermost wrapper inwards.
func (s *stackCloser) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i].Close())
	}
	return errors.Join(errs...)
}

// Open opens path for reading, decompressing transparently when it ends in .gz.
func Open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &stackCloser{Reader: zr, closers: []io.Closer{f, zr}}, nil
}
