package archive

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
)

// Spool is a directory of record files.
type Spool struct {
	dir string
}

// NewSpool returns a spool rooted at dir, creating it if needed.
func NewSpool(dir string) (*Spool, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Spool{dir: dir}, nil
}

// WriteGzip writes recs to path, gzip-compressed. Both closes are checked and
// the gzip writer is closed before the file underneath it.
func WriteGzip(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return encode(zw, recs)
}

// Dump writes recs to name inside the spool, replacing any previous content.
func (s *Spool) Dump(name string, recs []Record) error {
	f, err := os.OpenFile(filepath.Join(s.dir, name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	var w io.WriteCloser = f
	defer w.Close() // HAZ defer-close-unchecked-write
	return encode(w, recs)
}

// writeFileSync writes recs to path and fsyncs it. The deferred Close only
// covers the error paths; the success path returns the checked Close.
func writeFileSync(path string, recs []Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	if err := encode(bw, recs); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// Rewrite atomically replaces name with recs via a temporary file.
func (s *Spool) Rewrite(name string, recs []Record) error {
	final := filepath.Join(s.dir, name)
	tmp := final + ".tmp"
	if err := writeFileSync(tmp, recs); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if _, err := os.Stat(tmp); err == nil {
			return os.Remove(tmp)
		}
		return nil
	}()
	return os.Rename(tmp, final)
}

// Append adds recs to the end of name. The deferred closure folds the Close
// error into the named result.
func (s *Spool) Append(name string, recs []Record) (err error) {
	f, err := os.OpenFile(filepath.Join(s.dir, name), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return encode(f, recs)
}

// writeIndex writes "key offset" lines through a buffer.
func writeIndex(w io.Writer, keys []string, offsets []int64) error {
	bw := bufio.NewWriter(w)
	flush := bw.Flush
	defer flush() // HAZ defer-close-unchecked-write
	for i, k := range keys {
		if _, err := fmt.Fprintf(bw, "%s %d\n", k, offsets[i]); err != nil {
			return err
		}
	}
	return nil
}

// writeManifest writes one name per line through a buffer and returns the
// Flush error.
func writeManifest(w io.Writer, names []string) error {
	bw := bufio.NewWriter(w)
	for _, n := range names {
		if _, err := bw.WriteString(n + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Ship streams recs gzip-compressed to a collector at addr.
func Ship(ctx context.Context, addr string, recs []Record) (err error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	zw := gzip.NewWriter(conn)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer conn.Close()
	return encode(zw, recs)
}

// ShipBuffered streams recs through a bufio.Writer; the buffer is flushed
// (and checked) before the connection is closed.
func ShipBuffered(ctx context.Context, addr string, recs []Record) (err error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	bw := bufio.NewWriter(conn)
	defer func() {
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = fmt.Errorf("ship %s: %w", addr, ferr)
		}
	}()
	return encode(bw, recs)
}

// segment is a spool file with a buffered writer on top; *os.File is
// embedded so the segment closes like a file.
type segment struct {
	*os.File
	w *bufio.Writer
}

// WriteSegment writes recs into a new segment file.
func (s *Spool) WriteSegment(name string, recs []Record) (err error) {
	f, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	seg := segment{File: f, w: bufio.NewWriter(f)}
	defer func() { err = errors.Join(err, seg.w.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, seg.Close()) }()
	return encode(seg.w, recs)
}

// WriteSegmentOrdered flushes the buffer before the embedded file is closed.
func (s *Spool) WriteSegmentOrdered(name string, recs []Record) (err error) {
	f, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	seg := segment{File: f, w: bufio.NewWriter(f)}
	defer func() { err = errors.Join(err, seg.Close()) }()
	defer func() { err = errors.Join(err, seg.w.Flush()) }()
	return encode(seg.w, recs)
}

// Bundle packs files into a zip archive in the spool.
func (s *Spool) Bundle(name string, files map[string][]byte) (err error) {
	f, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for fname, data := range files {
		w, err := zw.Create(fname)
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// BundleChecked closes the zip writer on the success path and checks it;
// the deferred Close only matters on the error paths.
func (s *Spool) BundleChecked(name string, files map[string][]byte) (err error) {
	f, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close()
	for fname, data := range files {
		w, err := zw.Create(fname)
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}
