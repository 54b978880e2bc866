// Package export writes catalog bundles, manifests and indexes for the
// downstream archive.
package export

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"example.com/up13/internal/catalog"
)

// Format selects the bundle encoding.
type Format int

// Bundle formats.
const (
	FormatPlain Format = iota
	FormatGzip
)

// writeLines writes one tab-separated line per asset.
func writeLines(w io.Writer, assets []catalog.Asset) error {
	for _, a := range assets {
		if _, err := fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", a.ID, a.Path, a.Size, strings.Join(a.Tags, ",")); err != nil {
			return err
		}
	}
	return nil
}

// WriteBundle writes assets to path, gzip-compressed if asked to.
func WriteBundle(path string, format Format, assets []catalog.Asset) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var w io.Writer = f
	switch format {
	case FormatGzip:
		zw := gzip.NewWriter(f)
		defer func() { err = errors.Join(err, zw.Close()) }()
		w = zw
	case FormatPlain:
	default:
		f.Close()
		return fmt.Errorf("export: unknown format %d", format)
	}
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	return writeLines(w, assets)
}

// WriteBundleOrdered is WriteBundle with the file's close registered first,
// so it runs after the gzip writer has flushed its trailer.
func WriteBundleOrdered(path string, format Format, assets []catalog.Asset) (err error) {
	if format != FormatGzip && format != FormatPlain {
		return fmt.Errorf("export: unknown format %d", format)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	var w io.Writer = f
	switch format {
	case FormatGzip:
		zw := gzip.NewWriter(f)
		defer func() { err = errors.Join(err, zw.Close()) }()
		w = zw
	}
	return writeLines(w, assets)
}

// WriteManifest writes the list of asset paths, one per line.
func WriteManifest(path string, assets []catalog.Asset) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	closeOut := f.Close
	defer closeOut() // HAZ defer-close-unchecked-write
	for _, a := range assets {
		if _, err := io.WriteString(f, a.Path+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteChecksums writes "checksum  path" lines. The deferred close only
// covers the error paths; the success path returns the checked close.
func WriteChecksums(path string, assets []catalog.Asset) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, a := range assets {
		if _, err := fmt.Fprintf(bw, "%s  %s\n", a.Checksum, a.Path); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// countingSink counts the bytes written through the embedded WriteCloser,
// which also provides Close.
type countingSink struct {
	io.WriteCloser
	n int64
}

func (s *countingSink) Write(p []byte) (int, error) {
	n, err := s.WriteCloser.Write(p)
	s.n += int64(n)
	return n, err
}

// WriteIndex writes the id index and returns its size in bytes.
func WriteIndex(path string, assets []catalog.Asset) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	sink := &countingSink{WriteCloser: f}
	defer sink.Close() // HAZ defer-close-unchecked-write
	for _, a := range assets {
		if _, err := fmt.Fprintln(sink, a.ID); err != nil {
			return sink.n, err
		}
	}
	return sink.n, nil
}

// countingReader counts the bytes read through the embedded ReadCloser.
type countingReader struct {
	io.ReadCloser
	n int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.n += int64(n)
	return n, err
}

// ReadIndex reads an id index back; the file is opened read-only, so the
// promoted Close may be deferred unchecked.
func ReadIndex(path string) ([]string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	src := &countingReader{ReadCloser: f}
	defer src.Close()
	var ids []string
	sc := bufio.NewScanner(src)
	for sc.Scan() {
		if id := strings.TrimSpace(sc.Text()); id != "" {
			ids = append(ids, id)
		}
	}
	return ids, src.n, sc.Err()
}

// WriteCSV writes the assets as CSV; the close error is joined into the
// named result.
func WriteCSV(path string, assets []catalog.Asset) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"id", "path", "size", "tags"}); err != nil {
		return err
	}
	for _, a := range assets {
		row := []string{a.ID, a.Path, strconv.FormatInt(a.Size, 10), strings.Join(a.Tags, ";")}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// createOutput creates path and returns a buffered writer on it with the
// function that flushes and closes it, reporting the first error.
func createOutput(path string) (*bufio.Writer, func() error, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriter(f)
	finish := func() error {
		return errors.Join(bw.Flush(), f.Close())
	}
	return bw, finish, nil
}

// WriteReport writes a human-readable report; the finish function returned
// by createOutput is deferred after the error check and its error kept.
func WriteReport(path string, assets []catalog.Asset) (err error) {
	w, finish, err := createOutput(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, finish()) }()
	var total int64
	for _, a := range assets {
		total += a.Size
		fmt.Fprintf(w, "%-20s %12d  %s\n", a.ID, a.Size, a.Path)
	}
	_, err = fmt.Fprintf(w, "%d assets, %d bytes\n", len(assets), total)
	return err
}

// CopyAssets copies each group of assets into dst. A group whose source
// file is missing is skipped from that file on.
func CopyAssets(dst string, groups [][]catalog.Asset) (int, error) {
	copied := 0
groups:
	for _, g := range groups {
		for _, a := range g {
			src, err := os.Open(a.Path)
			if err != nil {
				continue groups
			}
			defer src.Close() // HAZ defer-in-loop
			if err := copyInto(dst, a, src); err != nil {
				return copied, err
			}
			copied++
		}
	}
	return copied, nil
}

// CopyAssetsEach is CopyAssets with each copy in copyOne, which closes its
// source before the next one is opened.
func CopyAssetsEach(dst string, groups [][]catalog.Asset) (int, error) {
	copied := 0
groups:
	for _, g := range groups {
		for _, a := range g {
			err := copyOne(dst, a)
			if errors.Is(err, os.ErrNotExist) {
				continue groups
			}
			if err != nil {
				return copied, err
			}
			copied++
		}
	}
	return copied, nil
}

// copyOne copies one asset into dst.
func copyOne(dst string, a catalog.Asset) error {
	src, err := os.Open(a.Path)
	if err != nil {
		return err
	}
	defer src.Close()
	return copyInto(dst, a, src)
}

// copyInto writes src to dst/<base name of a.Path>, checking the close.
func copyInto(dst string, a catalog.Asset, src io.Reader) (err error) {
	out, err := os.Create(filepath.Join(dst, filepath.Base(a.Path)))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, src)
	return err
}
