// Package archive builds compressed bundles and indexes. Most functions
// stack a writer on top of a file; the order of the deferred closes matters.
package archive

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"compress/zlib"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Entry is a file stored in a bundle.
type Entry struct {
	Name string
	Data []byte
}

// BundleWriter produces bundles on local disk.
type BundleWriter struct {
	now func() time.Time
}

// CompressFile gzips src into dst. The file is closed first (LIFO), then the
// gzip writer flushes its last block and trailer into a closed file.
func CompressFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close()  // HAZ defer-close-unchecked-write
	defer out.Close() // HAZ defer-order-inverted
	_, err = io.Copy(zw, in)
	return err
}

// CompressFileChecked closes writer then file explicitly and checks both.
func CompressFileChecked(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close() // ok: read-only
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close() // ok: error path only; success path returns out.Close()
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return out.Close()
}

// CompressFileJoined registers the file first and the gzip writer second,
// so LIFO closes the gzip writer first.
func CompressFileJoined(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close() // ok: read-only
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: runs before out.Close
	_, err = io.Copy(zw, in)
	return err
}

// WriteIndex buffers keys into a file; the file is closed before the
// deferred Flush, so the buffered tail never reaches the disk.
func WriteIndex(path string, keys []string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	defer f.Close()  // HAZ defer-order-inverted
	for _, k := range keys {
		if _, err := fmt.Fprintln(bw, k); err != nil {
			return err
		}
	}
	return nil
}

// WriteIndexChecked flushes explicitly before the deferred, joined close.
func WriteIndexChecked(path string, keys []string) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok
	bw := bufio.NewWriter(f)
	for _, k := range keys {
		if _, err := fmt.Fprintln(bw, k); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteZip propagates both Close errors, but in the wrong order: the file is
// closed before the zip writer writes its central directory.
func (b *BundleWriter) WriteZip(path string, files []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	for _, e := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: b.now()})
		if err != nil {
			return err
		}
		if _, err := w.Write(e.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteTarGz stacks tar on gzip on a file. The file is closed last
// (correct), but gzip is closed before tar writes its trailer.
func (b *BundleWriter) WriteTarGz(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	for _, e := range entries {
		hdr := &tar.Header{Name: e.Name, Mode: 0o644, Size: int64(len(e.Data)), ModTime: b.now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(e.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteTarGzOrdered registers file, gzip, tar in acquisition order, so they
// close tar, gzip, file.
func (b *BundleWriter) WriteTarGzOrdered(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // ok: runs first
	for _, e := range entries {
		hdr := &tar.Header{Name: e.Name, Mode: 0o644, Size: int64(len(e.Data)), ModTime: b.now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(e.Data); err != nil {
			return err
		}
	}
	return nil
}

// ExportLedger writes CSV rows; the deferred Flush runs after the file is
// closed, so the buffered rows are lost.
func ExportLedger(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	defer f.Close()  // HAZ defer-order-inverted
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// TranscodeCSV reads one CSV file and writes another; the reader-side defer
// registered first is unrelated to the output file.
func TranscodeCSV(src, dst string, sep rune) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close() // ok: read-only, unrelated to out
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }() // ok
	cr := csv.NewReader(in)
	cw := csv.NewWriter(out)
	cw.Comma = sep
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CompressTo wraps a caller's WriteCloser; dst is closed before zw.
func CompressTo(dst io.WriteCloser, src io.Reader) (err error) {
	zw := gzip.NewWriter(dst)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, dst.Close()) }() // HAZ defer-order-inverted
	_, err = io.Copy(zw, src)
	return err
}

// CompressToOrdered registers dst first, so it is closed last.
func CompressToOrdered(dst io.WriteCloser, src io.Reader) (err error) {
	defer func() { err = errors.Join(err, dst.Close()) }()
	zw := gzip.NewWriter(dst)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: runs before dst.Close
	_, err = io.Copy(zw, src)
	return err
}

type compressedLog struct {
	out *os.File
	gz  *gzip.Writer
}

// DumpEvents keeps file and writer in struct fields and closes them in the
// wrong order.
func (b *BundleWriter) DumpEvents(path string, events []string) (err error) {
	var cl compressedLog
	cl.out, err = os.Create(path)
	if err != nil {
		return err
	}
	cl.gz = gzip.NewWriter(cl.out)
	defer func() { err = errors.Join(err, cl.gz.Close()) }()
	defer func() { err = errors.Join(err, cl.out.Close()) }() // HAZ defer-order-inverted
	for _, e := range events {
		if _, err := io.WriteString(cl.gz, e+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// gzFile owns a file and the gzip writer on top of it and closes them in
// the right order.
type gzFile struct {
	f  *os.File
	zw *gzip.Writer
}

func createGz(path string) (*gzFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &gzFile{f: f, zw: gzip.NewWriter(f)}, nil
}

func (g *gzFile) Write(p []byte) (int, error) { return g.zw.Write(p) }

func (g *gzFile) Close() error { return errors.Join(g.zw.Close(), g.f.Close()) }

// DumpEventsOwned defers a single Close of a type that orders its parts.
func (b *BundleWriter) DumpEventsOwned(path string, events []string) (err error) {
	g, err := createGz(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, g.Close()) }() // ok: gzFile.Close closes zw before f
	for _, e := range events {
		if _, err := io.WriteString(g, e+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteRecords is generic over the record type; the file is closed before
// the buffered writer flushes.
func WriteRecords[T any](path string, recs []T, format func(T) string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	for _, r := range recs {
		if _, err := bw.WriteString(format(r) + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteRecordsOrdered is the same with the file registered first.
func WriteRecordsOrdered[T any](path string, recs []T, format func(T) string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // ok: flushes before the file closes
	for _, r := range recs {
		if _, err := bw.WriteString(format(r) + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteExport picks a compressor in a switch. The compressor's close is
// registered inside the switch, the file's close after it: the file closes
// first whenever a compressor is used.
func (b *BundleWriter) WriteExport(path, format string, payload []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var w io.Writer = f
	switch format {
	case "gzip":
		zw := gzip.NewWriter(f)
		defer func() { err = errors.Join(err, zw.Close()) }()
		w = zw
	case "zlib":
		zl := zlib.NewWriter(f)
		defer func() { err = errors.Join(err, zl.Close()) }()
		w = zl
	}
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	_, err = w.Write(payload)
	return err
}

// WriteExportOrdered registers the file close before the switch.
func (b *BundleWriter) WriteExportOrdered(path, format string, payload []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: registered first, runs last
	var w io.Writer = f
	switch format {
	case "gzip":
		zw := gzip.NewWriter(f)
		defer func() { err = errors.Join(err, zw.Close()) }()
		w = zw
	case "zlib":
		zl := zlib.NewWriter(f)
		defer func() { err = errors.Join(err, zl.Close()) }()
		w = zl
	}
	_, err = w.Write(payload)
	return err
}

// EncodeAttachment base64-encodes a blob into a file. The encoder's Close
// writes the final partial block, after the file has been closed.
func EncodeAttachment(path string, blob []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := base64.NewEncoder(base64.StdEncoding, f)
	defer enc.Close() // HAZ defer-close-unchecked-write
	defer f.Close()   // HAZ defer-order-inverted
	_, err = enc.Write(blob)
	return err
}

// ReadGzipLines reads a gzip file. Its deferred closes are in "wrapper
// first registered" order, which is harmless for readers: gzip.Reader.Close
// never touches the underlying file.
func ReadGzipLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	defer zr.Close() // ok: reader side, nothing to flush
	defer f.Close()  // ok: read-only
	var lines []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// Migrate opens the database and then a transaction; db.Close is
// registered first, so the transaction is rolled back before it.
func Migrate(ctx context.Context, driver, dsn string, stmts []string) error {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close() // ok: registered first, runs last
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // ok: runs before db.Close; no-op after Commit
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migrate %q: %w", s, err)
		}
	}
	return tx.Commit()
}
