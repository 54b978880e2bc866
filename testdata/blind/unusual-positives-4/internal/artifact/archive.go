package artifact

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// PackDir writes dir as a gzip-compressed tarball at dst.
func PackDir(dir, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriterSize(f, 1<<16)
	defer func() {
		if err == nil {
			err = bw.Flush()
		}
	}()
	zw := gzip.NewWriter(bw)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer tw.Close() // HAZ defer-close-unchecked-write

	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, werr error) error {
		if werr != nil {
			return werr
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(tw, path)
	})
}

// copyFile copies the file at path into w.
func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// Compress gzips src into dst.
func Compress(dst io.Writer, src io.Reader) (err error) {
	zw := gzip.NewWriter(dst)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = io.Copy(zw, src)
	return err
}

// ExportGz writes r gzip-compressed to path.
func ExportGz(path string, r io.Reader) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.Copy(zw, r)
	return err
}

// ExportPlain writes r to path through a buffer.
func ExportPlain(path string, r io.Reader) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	if _, err := io.Copy(bw, r); err != nil {
		return err
	}
	return bw.Flush()
}

// Entry is one line of an artifact index.
type Entry struct {
	Name   string
	Digest string
	Size   int64
}

type indexWriter struct {
	bw *bufio.Writer
	n  int
}

func newIndexWriter(w io.Writer) *indexWriter {
	return &indexWriter{bw: bufio.NewWriter(w)}
}

func (iw *indexWriter) add(e Entry) error {
	_, err := fmt.Fprintf(iw.bw, "%s\t%d\t%s\n", e.Digest, e.Size, e.Name)
	iw.n++
	return err
}

// WriteIndex writes the artifact index to path.
func WriteIndex(path string, entries []Entry) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	iw := newIndexWriter(f)
	defer iw.bw.Flush() // HAZ defer-close-unchecked-write
	for _, e := range entries {
		if err := iw.add(e); err != nil {
			return err
		}
	}
	return nil
}

// ReadIndex parses an index written by WriteIndex.
func ReadIndex(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e Entry
		if _, err := fmt.Sscanf(sc.Text(), "%s\t%d\t%s", &e.Digest, &e.Size, &e.Name); err != nil {
			return nil, fmt.Errorf("artifact: %s: %w", path, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// countingFile is a file that counts the bytes written through it.
type countingFile struct {
	*os.File
	n int64
}

func (c *countingFile) Write(p []byte) (int, error) {
	n, err := c.File.Write(p)
	c.n += int64(n)
	return n, err
}

// WriteManifest writes one line per output and returns the bytes written.
func WriteManifest(path string, lines []string) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	cf := &countingFile{File: f}
	defer cf.Close() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := io.WriteString(cf, l+"\n"); err != nil {
			return cf.n, err
		}
	}
	return cf.n, nil
}

// AppendManifest appends lines to an existing manifest and syncs it.
func AppendManifest(path string, lines []string) (int64, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	cf := &countingFile{File: f}
	defer cf.Close()
	for _, l := range lines {
		if _, err := io.WriteString(cf, l+"\n"); err != nil {
			return cf.n, err
		}
	}
	return cf.n, cf.Close()
}
