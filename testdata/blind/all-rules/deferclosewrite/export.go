// Package export writes snapshots, audit logs and archives to disk.
package export

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"compress/zlib"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Row is one exported record.
type Row struct {
	ID      int64
	Name    string
	Updated time.Time
}

// Member is one file placed in a bundle.
type Member struct {
	Name string
	Data []byte
}

type reportWriter struct {
	out   *bufio.Writer
	lines int
}

// WriteSnapshot writes the snapshot bytes to path.
func WriteSnapshot(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.Write(data)
	return err
}

// AppendAudit appends one audit line.
func AppendAudit(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("open audit log: %w", err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := f.WriteString(line + "\n"); err != nil {
		return fmt.Errorf("append audit log: %w", err)
	}
	return nil
}

// WriteRowsBuffered writes rows through a buffered writer.
func WriteRowsBuffered(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, r := range rows {
		if _, err := fmt.Fprintf(bw, "%d\t%s\n", r.ID, r.Name); err != nil {
			return err
		}
	}
	return nil
}

// WriteBundle writes members as a zip archive to w.
func WriteBundle(w io.Writer, members []Member) error {
	zw := zip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, m := range members {
		fw, err := zw.Create(m.Name)
		if err != nil {
			return err
		}
		if _, err := fw.Write(m.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteTarball streams members as a tar archive.
func WriteTarball(w io.Writer, members []Member) error {
	tw := tar.NewWriter(w)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for _, m := range members {
		hdr := &tar.Header{Name: m.Name, Mode: 0o644, Size: int64(len(m.Data)), ModTime: time.Now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(m.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV exports rows as CSV.
func WriteCSV(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"id", "name", "updated"}); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{strconv.FormatInt(r.ID, 10), r.Name, r.Updated.Format(time.RFC3339)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSONLines writes one JSON document per line.
func WriteJSONLines[T any](path string, items []T) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for i := range items {
		if err := enc.Encode(items[i]); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
	}
	return nil
}

// ReplaceState truncates and rewrites the state file.
func ReplaceState(path string, state []byte) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // HAZ defer-close-unchecked-write
	if _, err := f.Write(state); err != nil {
		return err
	}
	return nil
}

// CompressTo writes a zlib stream of data to w.
func CompressTo(w io.Writer, data []byte) error {
	zw := zlib.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	_, err := zw.Write(data)
	return err
}

func writeReport(w io.Writer, lines []string) error {
	rw := reportWriter{out: bufio.NewWriter(w)}
	defer rw.out.Flush() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := rw.out.WriteString(l + "\n"); err != nil {
			return err
		}
		rw.lines++
	}
	return nil
}

// WritePartition writes one partition file, truncating only when asked.
func WritePartition(path string, data []byte, truncate bool) error {
	flags := os.O_WRONLY | os.O_CREATE
	if truncate {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.Write(data)
	return err
}

// ---- negatives ----

// ReadSnapshot reads a snapshot; closing a read-only file cannot lose data.
func ReadSnapshot(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	return io.ReadAll(f)
}

// TailAudit returns the last n bytes of the audit log.
func TailAudit(path string, n int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: opened O_RDONLY
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	off := st.Size() - n
	if off < 0 {
		off = 0
	}
	buf := make([]byte, st.Size()-off)
	_, err = f.ReadAt(buf, off)
	return buf, err
}

// WriteSnapshotJoined joins the close error into the named result.
func WriteSnapshotJoined(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok
	_, err = f.Write(data)
	return err
}

// WriteSnapshotExplicit keeps a safety defer and returns the checked close.
func WriteSnapshotExplicit(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: the success path returns f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Close()
}

// AppendAuditSynced syncs and checks before the deferred close.
func AppendAuditSynced(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // ok: Sync is checked on the success path
	if _, err := f.WriteString(line + "\n"); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync audit log: %w", err)
	}
	return nil
}

// WriteLines flushes explicitly and returns the error.
func WriteLines(w io.Writer, lines []string) error {
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		if _, err := bw.WriteString(l); err != nil {
			return err
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush() // ok: checked
}

// GzipFile compresses src into dst, checking both closes.
func GzipFile(dst string, src io.Reader) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close() // ok: safety net, the success path returns f.Close()
	zw := gzip.NewWriter(f)
	if _, err := io.Copy(zw, src); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// AtomicWrite writes to a temp file and renames it into place.
func AtomicWrite(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close() // ok: the success path checks tmp.Close()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteCSVChecked flushes and checks the writer error.
func WriteCSVChecked(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	for _, r := range rows {
		if err := cw.Write([]string{strconv.FormatInt(r.ID, 10), r.Name}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportIndex keeps the first close error in the named result.
func ExportIndex(path string, ids []int64) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr // ok: propagated
		}
	}()
	for _, id := range ids {
		if _, err = fmt.Fprintln(f, id); err != nil {
			return err
		}
	}
	return nil
}

// InflatedLen decompresses a gzip file; both closes are on readers.
func InflatedLen(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, err
	}
	defer zr.Close() // ok: a reader
	return io.Copy(io.Discard, zr)
}
