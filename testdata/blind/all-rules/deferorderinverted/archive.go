// Package archive produces compressed backups and streams them to peers.
package archive

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strconv"
)

// Entry is one file in a backup.
type Entry struct {
	Name string
	Body []byte
}

// Bundler writes zip bundles.
type Bundler struct {
	out *os.File
	zw  *zip.Writer
}

// Streamer pushes line-oriented data to a peer.
type Streamer struct {
	addr string
}

// Compress writes a gzip copy of src to dst.
func Compress(dst string, src io.Reader) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	defer f.Close()  // HAZ defer-order-inverted
	_, err = io.Copy(zw, src)
	return err
}

// CompressChecked joins both close errors, but in the wrong order.
func CompressChecked(dst string, src io.Reader) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	_, err = io.Copy(zw, src)
	return err
}

// Push sends lines to the peer through a buffered writer.
func (s *Streamer) Push(lines []string) error {
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(conn)
	defer func() {
		if err := bw.Flush(); err != nil {
			log.Printf("flush to %s: %v", s.addr, err)
		}
	}()
	defer conn.Close() // HAZ defer-order-inverted
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// Backup writes entries as a .tar.gz file.
func Backup(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gw := gzip.NewWriter(f)
	tw := tar.NewWriter(gw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	defer func() { err = errors.Join(err, gw.Close()) }() // HAZ defer-order-inverted
	for _, e := range entries {
		if err := tw.WriteHeader(&tar.Header{Name: e.Name, Mode: 0o600, Size: int64(len(e.Body))}); err != nil {
			return err
		}
		if _, err := tw.Write(e.Body); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSV writes a CSV report.
func ExportCSV(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	defer func() {
		cw.Flush()
		err = errors.Join(err, cw.Error())
	}()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	return cw.WriteAll(rows)
}

// Write stores entries in the bundle file.
func (b *Bundler) Write(path string, entries []Entry) (err error) {
	b.out, err = os.Create(path)
	if err != nil {
		return err
	}
	b.zw = zip.NewWriter(b.out)
	defer func() { err = errors.Join(err, b.zw.Close()) }()
	defer func() { err = errors.Join(err, b.out.Close()) }() // HAZ defer-order-inverted
	for _, e := range entries {
		w, err := b.zw.Create(e.Name)
		if err != nil {
			return err
		}
		if _, err := w.Write(e.Body); err != nil {
			return err
		}
	}
	return nil
}

// DumpLines writes lines through a bufio.Writer over a file.
func DumpLines(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	defer w.Flush() // HAZ defer-close-unchecked-write
	defer f.Close() // HAZ defer-order-inverted
	for _, l := range lines {
		if _, err := w.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// Replicate streams a zlib-compressed snapshot to a replica.
func (s *Streamer) Replicate(snapshot io.Reader) (err error) {
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		return err
	}
	zw := zlib.NewWriter(conn)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, conn.Close()) }() // HAZ defer-order-inverted
	_, err = io.Copy(zw, snapshot)
	return err
}

// WithDeflateFile runs fn with a deflate writer over a new file.
func WithDeflateFile[T any](path string, v T, fn func(io.Writer, T) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	fw, err := flate.NewWriter(f, flate.BestSpeed)
	if err != nil {
		return errors.Join(err, f.Close())
	}
	defer func() { err = errors.Join(err, fw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	return fn(fw, v)
}

// ---- negatives ----

// CompressOrdered registers the file first so the gzip writer closes first.
func CompressOrdered(dst string, src io.Reader) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: runs before f.Close
	_, err = io.Copy(zw, src)
	return err
}

// CompressExplicit closes in order without defers.
func CompressExplicit(dst string, src io.Reader) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	if _, err := io.Copy(zw, src); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// PushFlushed flushes explicitly before the deferred close of the conn.
func (s *Streamer) PushFlushed(lines []string) error {
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		return err
	}
	defer conn.Close() // ok: bw is flushed before return
	bw := bufio.NewWriter(conn)
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// CopyFile copies between two unrelated files; their close order is irrelevant.
func CopyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }() // ok: not a wrapper of in
	_, err = io.Copy(out, in)
	return err
}

// Inflate reads a gzip file; closing the reader after the file loses nothing.
func Inflate(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	defer zr.Close()
	defer f.Close() // ok: read side, nothing left to flush
	return io.ReadAll(zr)
}

// BackupOrdered nests the writers and closes them innermost first.
func BackupOrdered(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, gw.Close()) }()
	tw := tar.NewWriter(gw)
	defer func() { err = errors.Join(err, tw.Close()) }() // ok: tw, then gw, then f
	for _, e := range entries {
		if err := tw.WriteHeader(&tar.Header{Name: e.Name, Mode: 0o600, Size: int64(len(e.Body))}); err != nil {
			return err
		}
		if _, err := tw.Write(e.Body); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSVOrdered registers the file close before the CSV flush.
func ExportCSVOrdered(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer func() {
		cw.Flush()
		err = errors.Join(err, cw.Error()) // ok: runs first
	}()
	return cw.WriteAll(rows)
}

// StoreCounts commits a transaction; the database handle outlives the call.
func StoreCounts(ctx context.Context, db *sql.DB, counts map[string]int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // ok: no-op after Commit
	for k, v := range counts {
		if _, err := tx.ExecContext(ctx, `UPDATE counters SET n = $1 WHERE k = $2`, v, k); err != nil {
			return fmt.Errorf("update %s: %w", k, err)
		}
	}
	return tx.Commit()
}

func writeGzip(w io.Writer, entries []Entry) error {
	zw := gzip.NewWriter(w)
	for _, e := range entries {
		if _, err := zw.Write([]byte(e.Name + "=" + strconv.Itoa(len(e.Body)) + "\n")); err != nil {
			zw.Close()
			return err
		}
	}
	return zw.Close()
}

// WriteManifest delegates the wrapper to a helper that closes it before returning.
func WriteManifest(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: the gzip writer is closed inside writeGzip
	return writeGzip(f, entries)
}
