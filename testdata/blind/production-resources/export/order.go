package export

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// ---- defer-order-inverted: positives ----

// WriteCompressed writes rows as gzipped JSON lines.
func (e *Exporter) WriteCompressed(name string, rows []Row) (err error) {
	f, err := e.createOutput(name + ".jsonl.gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	zw.Name = name
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted

	enc := json.NewEncoder(zw)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("encode %d: %w", r.ID, err)
		}
	}
	return nil
}

// AppendJournal appends buffered journal lines to the journal file.
func (e *Exporter) AppendJournal(lines []string) (err error) {
	f, err := os.OpenFile(filepath.Join(e.outDir, "journal"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, e.perm)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer captureErr(&err, bw.Flush)
	defer captureErr(&err, f.Close) // HAZ defer-order-inverted
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteSnapshotArchive writes a .tar.gz of the given blobs.
func (e *Exporter) WriteSnapshotArchive(path string, blobs map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted

	return writeTarEntries(tw, blobs, time.Now())
}

// writeTarEntries writes one regular file entry per blob.
func writeTarEntries(tw *tar.Writer, blobs map[string][]byte, mtime time.Time) error {
	for name, b := range blobs {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), ModTime: mtime}); err != nil {
			return fmt.Errorf("tar header %s: %w", name, err)
		}
		if _, err := tw.Write(b); err != nil {
			return fmt.Errorf("tar body %s: %w", name, err)
		}
	}
	return nil
}

// ServeCSVGzip streams rows as gzip-compressed CSV.
func (e *Exporter) ServeCSVGzip(w http.ResponseWriter, rows []Row) (err error) {
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	cw := csv.NewWriter(zw)
	defer func() {
		cw.Flush()
		err = errors.Join(err, cw.Error())
	}()
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted

	for _, r := range rows {
		if err := cw.Write(r.fields()); err != nil {
			return err
		}
	}
	return nil
}

// Upload compresses rows into a new object in the store.
func (e *Exporter) Upload(ctx context.Context, key string, rows []Row) (err error) {
	obj, err := e.store.Create(ctx, key)
	if err != nil {
		return fmt.Errorf("create object %s: %w", key, err)
	}
	zw, err := gzip.NewWriterLevel(obj, gzip.BestSpeed)
	if err != nil {
		return errors.Join(err, obj.Close())
	}
	defer closeInto(&err, zw)
	defer closeInto(&err, obj) // HAZ defer-order-inverted
	return json.NewEncoder(zw).Encode(rows)
}

// closeInto closes c and joins its error into *errp.
func closeInto(errp *error, c io.Closer) {
	*errp = errors.Join(*errp, c.Close())
}

// writeBufferedReport fills a buffered writer over the report file.
func (e *Exporter) writeBufferedReport(name string, rows []Row) (err error) {
	f, err := e.createOutput(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	defer func() {
		if ferr := bw.Flush(); ferr != nil {
			err = errors.Join(err, fmt.Errorf("flush %s: %w", name, ferr))
		}
	}()
	defer func() { // HAZ defer-order-inverted
		if cerr := f.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	for _, r := range rows {
		fmt.Fprintf(bw, "%d,%s,%.2f\n", r.ID, r.Account, r.Amount)
	}
	return nil
}

// ---- defer-order-inverted: negatives ----

// WriteCompressedOrdered registers the file close first so it runs last.
func (e *Exporter) WriteCompressedOrdered(name string, rows []Row) (err error) {
	f, err := e.createOutput(name + ".jsonl.gz")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: runs after zw.Close
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	enc := json.NewEncoder(zw)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// WriteCompressedExplicit closes the gzip writer explicitly before the deferred file close.
func (e *Exporter) WriteCompressedExplicit(name string, payload []byte) (err error) {
	f, err := e.createOutput(name)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(payload); err != nil {
		return err
	}
	return zw.Close() // ok: wrapper closed before the deferred file close
}

// AppendJournalOrdered flushes the buffer before the file closes.
func (e *Exporter) AppendJournalOrdered(lines []string) (err error) {
	f, err := os.OpenFile(filepath.Join(e.outDir, "journal"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, e.perm)
	if err != nil {
		return err
	}
	defer captureErr(&err, f.Close)
	bw := bufio.NewWriter(f)
	defer captureErr(&err, bw.Flush) // ok: runs before f.Close
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// ReadCompressed reads a gzipped extract; closing a reader order does not matter.
func (e *Exporter) ReadCompressed(name string) ([]Row, error) {
	f, err := os.Open(filepath.Join(e.outDir, name))
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	defer zr.Close()
	defer f.Close() // ok: readers do not flush into the file
	var rows []Row
	dec := json.NewDecoder(zr)
	for dec.More() {
		var r Row
		if err := dec.Decode(&r); err != nil {
			return rows, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// CopyExtract copies src into dst; the two files are independent.
func (e *Exporter) CopyExtract(src, dst string) (n int64, err error) {
	out, err := e.createOutput(dst)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	in, err := os.Open(filepath.Join(e.outDir, src))
	if err != nil {
		return 0, err
	}
	defer in.Close() // ok: not a wrapper of out
	return io.Copy(out, in)
}

// WriteSnapshotArchiveOrdered closes tar, then gzip, then the file.
func (e *Exporter) WriteSnapshotArchiveOrdered(path string, blobs map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // ok: innermost wrapper closes first
	return writeTarEntries(tw, blobs, time.Now())
}

// gzipFile bundles a file and its gzip writer; Close closes them in order.
type gzipFile struct {
	f  *os.File
	zw *gzip.Writer
}

func (g *gzipFile) Write(p []byte) (int, error) { return g.zw.Write(p) }

// Close closes the gzip stream, then the file.
func (g *gzipFile) Close() error {
	return errors.Join(g.zw.Close(), g.f.Close())
}

// UploadLocal writes rows through a gzipFile whose Close orders the layers itself.
func (e *Exporter) UploadLocal(name string, rows []Row) (err error) {
	f, err := e.createOutput(name)
	if err != nil {
		return err
	}
	gf := &gzipFile{f: f, zw: gzip.NewWriter(f)}
	defer closeInto(&err, gf) // ok: single close, layers ordered inside
	return json.NewEncoder(gf).Encode(rows)
}
