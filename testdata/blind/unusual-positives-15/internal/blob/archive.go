package blob

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// tarball is an open .tar.gz file.
type tarball struct {
	f  *os.File
	zr *gzip.Reader
	tr *tar.Reader
}

func openTarball(path string) (*tarball, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: %s: %w", path, err)
	}
	return &tarball{f: f, zr: zr, tr: tar.NewReader(zr)}, nil
}

func (t *tarball) Close() error {
	return errors.Join(t.zr.Close(), t.f.Close())
}

// ListTar returns the names of the regular files in a .tar.gz.
func ListTar(path string) ([]string, error) {
	tb, err := openTarball(path)
	defer tb.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var names []string
	for {
		h, err := tb.tr.Next()
		if err == io.EOF {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag == tar.TypeReg {
			names = append(names, h.Name)
		}
	}
}

// ImportTar stores every regular file of a .tar.gz under prefix.
func (s *Store) ImportTar(path, prefix string) (int, error) {
	tb, err := openTarball(path)
	if err != nil {
		return 0, err
	}
	defer tb.Close()
	n := 0
	for {
		h, err := tb.tr.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if err := s.Put(prefix+"/"+h.Name, tb.tr); err != nil {
			return n, err
		}
		n++
	}
}

// compress gzips b for the replication wire format.
func compress(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	defer zw.Close() // HAZ defer-close-unchecked-write
	zw.Write(b)
	return buf.Bytes()
}

// Compress gzips b and closes the writer, checking it, before the buffer
// is read.
func Compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CompressedSize is the size b would have on the wire.
func CompressedSize(b []byte) int { return len(compress(b)) }

// DumpTo writes one line per item to path.
func DumpTo[T any](path string, items []T, line func(T) string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, it := range items {
		if _, err := bw.WriteString(line(it) + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// DumpLines is DumpTo with the buffer flushed and checked on the success
// path.
func DumpLines[T any](path string, items []T, line func(T) string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for _, it := range items {
		if _, err := bw.WriteString(line(it) + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// DecodeFiles decodes every file in paths with decode.
func DecodeFiles[T any](paths []string, decode func(io.Reader) (T, error)) ([]T, error) {
	out := make([]T, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		v, err := decode(f)
		if err != nil {
			return nil, fmt.Errorf("blob: decode %s: %w", p, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// DecodeEach is DecodeFiles with each file closed by decodeFile.
func DecodeEach[T any](paths []string, decode func(io.Reader) (T, error)) ([]T, error) {
	out := make([]T, 0, len(paths))
	for _, p := range paths {
		v, err := decodeFile(p, decode)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func decodeFile[T any](path string, decode func(io.Reader) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	v, err := decode(f)
	if err != nil {
		return v, fmt.Errorf("blob: decode %s: %w", path, err)
	}
	return v, nil
}

// gunzipToTemp decompresses src into a temporary file and returns its name.
func gunzipToTemp(src string) (name string, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	out, err := os.CreateTemp("", "up15-import-*")
	if err != nil {
		return "", err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	if _, err := io.Copy(out, zr); err != nil {
		return "", err
	}
	return out.Name(), nil
}

// Import stores the local file src under key, decompressing .gz files
// through a temporary file first.
func (s *Store) Import(src, key string) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	path := src
	if strings.HasSuffix(src, ".gz") {
		tmp, err := gunzipToTemp(src)
		if err != nil {
			return err
		}
		path = tmp
		cleanup = func() { os.Remove(tmp) }
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return s.Put(key, f)
}

// ImportFile is Import with the cleanup read when the deferred closure
// runs.
func (s *Store) ImportFile(src, key string) error {
	cleanup := func() {}
	defer func() { cleanup() }()
	path := src
	if strings.HasSuffix(src, ".gz") {
		tmp, err := gunzipToTemp(src)
		if err != nil {
			return err
		}
		path = tmp
		cleanup = func() { os.Remove(tmp) }
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return s.Put(filepath.ToSlash(key), f)
}
