package store

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
)

// Members yields the name and opener of every file in a zip archive.
func Members(r *zip.Reader) iter.Seq2[string, func() (io.ReadCloser, error)] {
	return func(yield func(string, func() (io.ReadCloser, error)) bool) {
		for _, f := range r.File {
			if !yield(f.Name, f.Open) {
				return
			}
		}
	}
}

// ExtractAll copies every member of r into dst.
func ExtractAll(r *zip.Reader, dst string) error {
	for name, open := range Members(r) {
		rc, err := open()
		if err != nil {
			return fmt.Errorf("extract %s: %w", name, err)
		}
		defer rc.Close() // HAZ defer-in-loop
		data, err := io.ReadAll(rc)
		if err != nil {
			return fmt.Errorf("extract %s: %w", name, err)
		}
		if err := WriteFileAtomic(filepath.Join(dst, filepath.Base(name)), data); err != nil {
			return fmt.Errorf("extract %s: %w", name, err)
		}
	}
	return nil
}

// ExtractEach is ExtractAll with each member closed by its own call.
func ExtractEach(r *zip.Reader, dst string) error {
	for name, open := range Members(r) {
		if err := extractOne(name, open, dst); err != nil {
			return err
		}
	}
	return nil
}

func extractOne(name string, open func() (io.ReadCloser, error), dst string) error {
	rc, err := open()
	if err != nil {
		return fmt.Errorf("extract %s: %w", name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return fmt.Errorf("extract %s: %w", name, err)
	}
	return WriteFileAtomic(filepath.Join(dst, filepath.Base(name)), data)
}

// ListBundle returns the member names of a zip file.
func ListBundle(path string) ([]string, error) {
	zr, err := zip.OpenReader(path)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", path, err)
	}
	names := make([]string, 0, len(zr.File))
	for name := range Members(&zr.Reader) {
		names = append(names, name)
	}
	return names, nil
}

// Bundle writes entries into a zip file.
func Bundle(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, e := range entries {
		w, err := zw.Create(e.Name)
		if err != nil {
			return fmt.Errorf("bundle %s: %s: %w", path, e.Name, err)
		}
		if _, err := w.Write(e.Data); err != nil {
			return fmt.Errorf("bundle %s: %s: %w", path, e.Name, err)
		}
	}
	return nil
}

// BundleChecked is Bundle whose success path returns the checked close of
// the zip writer; the deferred close only runs first on error paths.
func BundleChecked(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close()
	for _, e := range entries {
		w, err := zw.Create(e.Name)
		if err != nil {
			return fmt.Errorf("bundle %s: %s: %w", path, e.Name, err)
		}
		if _, err := w.Write(e.Data); err != nil {
			return fmt.Errorf("bundle %s: %s: %w", path, e.Name, err)
		}
	}
	return zw.Close()
}

// ExportCSVGz writes rows as gzip-compressed CSV.
func ExportCSVGz[T any](path string, header []string, rows []T, enc func(T) []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	cw := csv.NewWriter(zw)
	defer func() { // HAZ defer-order-inverted
		cw.Flush()
		err = errors.Join(err, cw.Error())
	}()
	defer func() { err = errors.Join(err, zw.Close()) }()
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	for _, row := range rows {
		if err := cw.Write(enc(row)); err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
	}
	return nil
}

// countingWriter counts bytes on their way to the embedded WriteCloser;
// Close is promoted from it.
type countingWriter struct {
	io.WriteCloser
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.WriteCloser.Write(p)
	c.n += int64(n)
	return n, err
}

var newline = []byte{'\n'}

// ExportCounted writes recs one per line and reports the bytes written.
func ExportCounted(path string, recs [][]byte) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	cw := &countingWriter{WriteCloser: f}
	defer cw.Close() // HAZ defer-close-unchecked-write
	for _, r := range recs {
		if _, err := cw.Write(r); err != nil {
			return cw.n, fmt.Errorf("export %s: %w", path, err)
		}
		if _, err := cw.Write(newline); err != nil {
			return cw.n, fmt.Errorf("export %s: %w", path, err)
		}
	}
	return cw.n, nil
}

// ExportCountedChecked is ExportCounted with the promoted Close checked on
// the success path.
func ExportCountedChecked(path string, recs [][]byte) (n int64, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	cw := &countingWriter{WriteCloser: f}
	bw := bufio.NewWriter(cw)
	for _, r := range recs {
		bw.Write(r)
		if err := bw.WriteByte('\n'); err != nil {
			cw.Close()
			return cw.n, fmt.Errorf("export %s: %w", path, err)
		}
	}
	if err := bw.Flush(); err != nil {
		cw.Close()
		return cw.n, fmt.Errorf("export %s: %w", path, err)
	}
	if err := cw.Close(); err != nil {
		return cw.n, fmt.Errorf("export %s: close: %w", path, err)
	}
	return cw.n, nil
}

// FirstLineOfNewest returns the first line of the newest generation of a
// rotated log: base, base.1, base.2, ... up to gens.
func FirstLineOfNewest(base string, gens int) (string, error) {
	f, err := os.Open(base)
	if err != nil {
		return "", fmt.Errorf("generations: %w", err)
	}
	defer f.Close() // HAZ defer-eager-evaluation
	for g := 1; g <= gens; g++ {
		next, err := os.Open(fmt.Sprintf("%s.%d", base, g))
		if err != nil {
			break
		}
		f = next
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("generations %s: %w", f.Name(), err)
	}
	return line, nil
}

// FirstLineOfNewestClosed closes each superseded generation and defers a
// literal, so the file closed at exit is the one finally read.
func FirstLineOfNewestClosed(base string, gens int) (string, error) {
	f, err := os.Open(base)
	if err != nil {
		return "", fmt.Errorf("generations: %w", err)
	}
	defer func() { f.Close() }()
	for g := 1; g <= gens; g++ {
		next, err := os.Open(fmt.Sprintf("%s.%d", base, g))
		if err != nil {
			break
		}
		f.Close()
		f = next
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("generations %s: %w", f.Name(), err)
	}
	return line, nil
}
