// Package export writes nightly report extracts to files, archives and HTTP clients.
package export

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Row is one exported record.
type Row struct {
	ID      int64
	Account string
	Amount  float64
	At      time.Time
}

func (r Row) fields() []string {
	return []string{
		strconv.FormatInt(r.ID, 10),
		r.Account,
		strconv.FormatFloat(r.Amount, 'f', 2, 64),
		r.At.Format(time.RFC3339),
	}
}

// Exporter writes extracts below outDir.
type Exporter struct {
	outDir  string
	perm    os.FileMode
	logger  *log.Logger
	store   ObjectStore
	auditFn string
}

// ObjectStore opens remote objects for writing.
type ObjectStore interface {
	Create(ctx context.Context, key string) (io.WriteCloser, error)
}

// New builds an Exporter.
func New(outDir string, store ObjectStore, logger *log.Logger) *Exporter {
	return &Exporter{outDir: outDir, perm: 0o644, store: store, logger: logger, auditFn: "audit.log"}
}

// createOutput creates (truncating) a file in the output directory.
func (e *Exporter) createOutput(name string) (*os.File, error) {
	if err := os.MkdirAll(e.outDir, 0o755); err != nil {
		return nil, err
	}
	return os.Create(filepath.Join(e.outDir, name))
}

// captureErr runs fn and joins its error into *errp.
func captureErr(errp *error, fn func() error) {
	*errp = errors.Join(*errp, fn())
}

// ---- defer-close-unchecked-write: positives ----

// WriteManifest writes the manifest as JSON.
func (e *Exporter) WriteManifest(name string, manifest map[string]any) error {
	f, err := os.Create(filepath.Join(e.outDir, name))
	if err != nil {
		return fmt.Errorf("create manifest: %w", err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write

	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(manifest); err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	e.logger.Printf("wrote manifest %s (%d keys)", name, len(manifest))
	return nil
}

// Audit appends one line to the audit log.
func (e *Exporter) Audit(event string, rows int) error {
	path := filepath.Join(e.outDir, e.auditFn)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, e.perm)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s\t%s\t%d\n", time.Now().UTC().Format(time.RFC3339), event, rows)
	return err
}

// WriteLines writes rows as tab-separated lines through a buffer.
func WriteLines(w io.Writer, rows []Row) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, r := range rows {
		if _, err := fmt.Fprintf(bw, "%d\t%s\t%.2f\n", r.ID, r.Account, r.Amount); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV renders rows as CSV with a header.
func (e *Exporter) WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"id", "account", "amount", "at"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r.fields()); err != nil {
			return fmt.Errorf("row %d: %w", r.ID, err)
		}
	}
	e.logger.Printf("csv: %d rows", len(rows))
	return nil
}

// ServeGzipJSON is an HTTP handler that streams rows as gzipped JSON.
func (e *Exporter) ServeGzipJSON(w http.ResponseWriter, r *http.Request, rows []Row) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	if err := json.NewEncoder(zw).Encode(rows); err != nil {
		e.logger.Printf("%s %s: encode: %v", r.Method, r.URL.Path, err)
	}
}

// SnapshotState writes the exporter state file, ignoring the close error explicitly.
func (e *Exporter) SnapshotState(state map[string]int64) error {
	f, err := os.Create(filepath.Join(e.outDir, "state.json"))
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(state)
}

// WriteBundle packs named blobs into a tar stream.
func WriteBundle(w io.Writer, blobs map[string][]byte, mtime time.Time) error {
	tw := tar.NewWriter(w)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for name, b := range blobs {
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: mtime}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("tar header %s: %w", name, err)
		}
		if _, err := tw.Write(b); err != nil {
			return fmt.Errorf("tar body %s: %w", name, err)
		}
	}
	return nil
}

// ZipSpec describes a zip archive to build; it is passed by value.
type ZipSpec struct {
	Comment string
	Files   map[string]string
}

// WriteTo writes the archive described by the spec.
func (z ZipSpec) WriteTo(w io.Writer) (int64, error) {
	zw := zip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	if err := zw.SetComment(z.Comment); err != nil {
		return 0, err
	}
	var n int64
	for name, body := range z.Files {
		fw, err := zw.Create(name)
		if err != nil {
			return n, err
		}
		m, err := io.WriteString(fw, body)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// WriteIndex writes the extract index through the createOutput helper.
func (e *Exporter) WriteIndex(names []string) error {
	f, err := e.createOutput("INDEX")
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, n := range names {
		if _, err := fmt.Fprintln(f, n); err != nil {
			return err
		}
	}
	return nil
}

// ---- defer-close-unchecked-write: negatives ----

// WriteManifestChecked joins the close error into the named result.
func (e *Exporter) WriteManifestChecked(name string, manifest map[string]any) (err error) {
	f, err := os.Create(filepath.Join(e.outDir, name))
	if err != nil {
		return fmt.Errorf("create manifest: %w", err)
	}
	defer func() {
		err = errors.Join(err, f.Close()) // ok: close error reaches the caller
	}()
	return json.NewEncoder(f).Encode(manifest)
}

// AuditChecked defers the close for the error paths and checks it on the success path.
func (e *Exporter) AuditChecked(event string, rows int) error {
	f, err := os.OpenFile(filepath.Join(e.outDir, e.auditFn), os.O_APPEND|os.O_CREATE|os.O_WRONLY, e.perm)
	if err != nil {
		return err
	}
	defer f.Close() // ok: the success path returns f.Close()
	if _, err := fmt.Fprintf(f, "%s\t%d\n", event, rows); err != nil {
		return err
	}
	return f.Close()
}

// CountRows reads an extract back; read-only files need no checked close.
func (e *Exporter) CountRows(name string) (int, error) {
	f, err := os.Open(filepath.Join(e.outDir, name))
	if err != nil {
		return 0, err
	}
	defer f.Close() // ok: read-only
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return 0, err
	}
	return len(recs), nil
}

// WriteLinesFile buffers into a file, checks Flush and Sync on the success path.
func (e *Exporter) WriteLinesFile(name string, rows []Row) error {
	f, err := e.createOutput(name)
	if err != nil {
		return err
	}
	defer f.Close() // ok: Sync below is checked
	bw := bufio.NewWriter(f)
	for _, r := range rows {
		if _, err := fmt.Fprintf(bw, "%d\t%s\n", r.ID, r.Account); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("flush %s: %w", name, err)
	}
	return f.Sync()
}

// LoadState opens the state file with OpenFile but read-only.
func (e *Exporter) LoadState() (map[string]int64, error) {
	f, err := os.OpenFile(filepath.Join(e.outDir, "state.json"), os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: O_RDONLY
	state := map[string]int64{}
	if err := json.NewDecoder(f).Decode(&state); err != nil {
		return nil, err
	}
	return state, nil
}

// ServeGzipJSONChecked closes the gzip writer explicitly and logs its error.
func (e *Exporter) ServeGzipJSONChecked(w http.ResponseWriter, r *http.Request, rows []Row) {
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	if err := json.NewEncoder(zw).Encode(rows); err != nil {
		e.logger.Printf("%s: encode: %v", r.URL.Path, err)
	}
	if err := zw.Close(); err != nil {
		e.logger.Printf("%s: gzip close: %v", r.URL.Path, err)
	}
}

// WriteCSVChecked flushes in a deferred closure and reports cw.Error().
func (e *Exporter) WriteCSVChecked(w io.Writer, rows []Row) (err error) {
	cw := csv.NewWriter(w)
	defer func() {
		cw.Flush()
		err = errors.Join(err, cw.Error()) // ok: flush error surfaces
	}()
	if err := cw.Write([]string{"id", "account", "amount", "at"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r.fields()); err != nil {
			return err
		}
	}
	return nil
}

// WriteAtomic writes through a temp file and renames it into place.
func (e *Exporter) WriteAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(e.outDir, "."+name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // ok: no-op after the rename
	defer tmp.Close()           // ok: closed and checked explicitly before rename
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close temp: %w", err)
	}
	return os.Rename(tmp.Name(), filepath.Join(e.outDir, name))
}
