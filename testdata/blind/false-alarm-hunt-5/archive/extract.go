package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// writeFile creates path from r. The close error is joined into the named
// result, so a failed flush to disk is reported.
func writeFile(path string, r io.Reader, mode os.FileMode) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode.Perm())
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(f, r)
	return err
}

// ExtractTarGz unpacks src into dst and returns the number of files.
func ExtractTarGz(src, dst string) (int, error) {
	f, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	gr, err := gzip.NewReader(f)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", src, err)
	}
	defer gr.Close()
	tr := tar.NewReader(gr)
	n := 0
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		target, err := safeJoin(dst, hdr.Name)
		if err != nil {
			return n, err
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return n, err
			}
		case tar.TypeReg:
			if err := writeFile(target, io.LimitReader(tr, hdr.Size), hdr.FileInfo().Mode()); err != nil {
				return n, err
			}
			n++
		}
	}
}

// IndexEntry is one line of an archive index.
type IndexEntry struct {
	Name string
	Size int64
}

// ReadIndex parses an index file of "size name" lines.
func ReadIndex(path string) ([]IndexEntry, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var out []IndexEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		size, name, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		var e IndexEntry
		if _, err := fmt.Sscan(size, &e.Size); err != nil {
			return nil, fmt.Errorf("%s: bad size %q", path, size)
		}
		e.Name = name
		out = append(out, e)
	}
	return out, sc.Err()
}

// WriteIndex writes an index through a buffered writer whose Flush and the
// file's Close are both checked before returning.
func WriteIndex(path string, entries []IndexEntry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, e := range entries {
		if _, err := fmt.Fprintf(bw, "%d %s\n", e.Size, e.Name); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
