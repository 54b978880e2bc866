// Package writeclose writes reports, archives and exports, closing or
// flushing the writers with and without looking at the error.
package writeclose

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// createOutput makes sure dir exists and creates name inside it.
func createOutput(dir, name string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return os.Create(filepath.Join(dir, name))
}

// WriteReport gets its file from a helper that calls os.Create; the Close
// error (where delayed write errors surface) is dropped.
func WriteReport(dir string, lines []string) error {
	f, err := createOutput(dir, "report.txt")
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := fmt.Fprintln(f, l); err != nil {
			return err
		}
	}
	return nil
}

// Record is one exported row.
type Record struct {
	Name  string
	Count int
}

// Exporter writes records through a buffered writer kept in a field.
type Exporter struct {
	w *bufio.Writer
}

// NewExporter wraps w in a buffer.
func NewExporter(w io.Writer) *Exporter {
	return &Exporter{w: bufio.NewWriter(w)}
}

// ExportAll writes into the buffer and defers the Flush, whose error (the only
// place a write error of the final chunk shows up) is dropped.
func (e *Exporter) ExportAll(recs []Record) error {
	defer e.w.Flush() // HAZ defer-close-unchecked-write
	for _, r := range recs {
		if _, err := fmt.Fprintf(e.w, "%s\t%d\n", r.Name, r.Count); err != nil {
			return err
		}
	}
	return nil
}

// AppendAudit opens with write flags held in a variable.
func AppendAudit(path string, entries []string) error {
	flags := os.O_APPEND | os.O_CREATE | os.O_WRONLY
	f, err := os.OpenFile(path, flags, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, e := range entries {
		if _, err := f.WriteString(e + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// CompressTo defers the gzip Close that writes the remaining data and the
// trailer; its error is dropped and a truncated stream looks like success.
func CompressTo(w io.Writer, payload []byte) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	_, err := zw.Write(payload)
	return err
}

// WriteCSV defers csv.Writer.Flush and never consults cw.Error().
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// Archiver appends files to a tar stream held in a field.
type Archiver struct {
	tw *tar.Writer
}

// NewArchiver starts a tar stream on w.
func NewArchiver(w io.Writer) *Archiver {
	return &Archiver{tw: tar.NewWriter(w)}
}

// WriteAll adds all files and finishes the archive in a deferred Close, whose
// error (padding and the end-of-archive blocks) is dropped.
func (a *Archiver) WriteAll(files map[string][]byte) error {
	defer a.tw.Close() // HAZ defer-close-unchecked-write
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		hdr := &tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n]))}
		if err := a.tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := a.tw.Write(files[n]); err != nil {
			return err
		}
	}
	return nil
}

// SaveSnapshot discards the Close error explicitly inside a deferred closure.
func SaveSnapshot(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // HAZ defer-close-unchecked-write
	_, err = f.Write(data)
	return err
}

// newBundle starts a zip archive on w.
func newBundle(w io.Writer, comment string) (*zip.Writer, error) {
	zw := zip.NewWriter(w)
	if err := zw.SetComment(comment); err != nil {
		return nil, err
	}
	return zw, nil
}

// WriteBundle gets its zip.Writer from a helper; the deferred Close writes the
// central directory and its error is dropped.
func WriteBundle(w io.Writer, files map[string][]byte) error {
	zw, err := newBundle(w, "generated")
	if err != nil {
		return err
	}
	defer zw.Close() // HAZ defer-close-unchecked-write
	for name, data := range files {
		fw, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := fw.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// ---- negatives ----

// CountLines opens read-only.
func CountLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// ReadHeaderBytes uses OpenFile, but read-only.
func ReadHeaderBytes(path string, n int) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	return buf[:k], err
}

// WriteReportChecked keeps the deferred Close for error paths and returns the
// checked Close on success.
func WriteReportChecked(dir string, lines []string) error {
	f, err := createOutput(dir, "report.txt")
	if err != nil {
		return err
	}
	defer f.Close()
	for _, l := range lines {
		if _, err := fmt.Fprintln(f, l); err != nil {
			return err
		}
	}
	return f.Close()
}

// SaveSnapshotJoined joins the Close error into its named result.
func SaveSnapshotJoined(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = f.Write(data)
	return err
}

// WriteBuffered flushes and syncs explicitly with checks; the deferred Close
// only matters on error paths.
func WriteBuffered(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// WriteCSVChecked flushes explicitly and returns the writer's error.
func WriteCSVChecked(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CompressToChecked keeps a safety-net defer and returns the checked Close.
func CompressToChecked(w io.Writer, payload []byte) error {
	zw := gzip.NewWriter(w)
	defer zw.Close()
	if _, err := zw.Write(payload); err != nil {
		return err
	}
	return zw.Close()
}
