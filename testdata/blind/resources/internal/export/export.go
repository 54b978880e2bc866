// Package export writes snapshots, audit logs, reports and bundles to disk
// or to streams.
package export

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/binary"
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

// WriteSnapshot writes data to a new file and drops the Close error: on NFS
// or a full disk the data can be lost while the function reports success.
func WriteSnapshot(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.Write(data)
	return err
}

// WriteSnapshotChecked keeps the deferred Close for the error paths and
// returns the checked Close on the success path.
func WriteSnapshotChecked(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: success path returns f.Close() below
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Close()
}

// ReadSnapshot only reads.
func ReadSnapshot(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	return io.ReadAll(f)
}

// AuditEntry is one JSON line in the audit log.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
}

// AuditLog appends JSON lines to a file.
type AuditLog struct {
	path string
}

// Append opens the log for appending and ignores the Close error.
func (a *AuditLog) Append(entry AuditEntry) error {
	f, err := os.OpenFile(a.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	line, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return err
}

// AppendChecked joins the Close error into the named result.
func (a *AuditLog) AppendChecked(entry AuditEntry) (err error) {
	f, err := os.OpenFile(a.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: close error reaches the caller
	line, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return err
}

// Tail reads the last n bytes of the log; O_RDONLY is read-only.
func (a *AuditLog) Tail(n int64) ([]byte, error) {
	f, err := os.OpenFile(a.path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
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
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return buf, err
}

// Report renders a plain-text report.
type Report struct {
	Title string
	Lines []string
}

// Render closes the file correctly but drops the error of the deferred
// bufio Flush, which is where the buffered report is actually written.
func (r *Report) Render(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintf(bw, "# %s\n\n", r.Title); err != nil {
		return err
	}
	for _, l := range r.Lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// RenderChecked returns the checked Flush; the file close is joined.
func (r *Report) RenderChecked(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok
	bw := bufio.NewWriter(f)
	if _, err := fmt.Fprintf(bw, "# %s\n\n", r.Title); err != nil {
		return err
	}
	for _, l := range r.Lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteLines defers both the file close and the buffer flush (in the right
// order) and checks neither.
func WriteLines(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	bw := bufio.NewWriter(f)
	defer bw.Flush()
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// EncodeCompressed gzips JSON into w. The gzip trailer is written by Close,
// whose error is discarded after the function has already returned nil.
func EncodeCompressed(w io.Writer, v any) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(zw).Encode(v)
}

// EncodeCompressedChecked keeps the defer for the error path and checks
// Close on the success path (a second Close is a no-op).
func EncodeCompressedChecked(w io.Writer, v any) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // ok: success path returns zw.Close()
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return err
	}
	return zw.Close()
}

// DecodeCompressed is the reading side: gzip.Reader.Close is harmless.
func DecodeCompressed(r io.Reader, v any) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer zr.Close() // ok: reader
	return json.NewDecoder(zr).Decode(v)
}

// Exporter builds bundles.
type Exporter struct {
	root string
}

// Entry is a file inside a tar stream.
type Entry struct {
	Name    string
	Data    []byte
	ModTime time.Time
}

// WriteBundle joins the file's Close error but discards the zip.Writer's
// Close error, which is where the central directory is written.
func (e *Exporter) WriteBundle(path string, files map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// WriteBundleChecked closes the zip writer explicitly on the success path.
func (e *Exporter) WriteBundleChecked(path string, files map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}() // ok: close error is propagated
	zw := zip.NewWriter(f)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// ListBundle reads a zip bundle.
func (e *Exporter) ListBundle(path string) ([]string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close() // ok: read-only
	names := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names, nil
}

// StreamTar writes a tar stream and loses the trailer's write error.
func (e *Exporter) StreamTar(out io.Writer, entries []Entry) error {
	tw := tar.NewWriter(out)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for _, ent := range entries {
		hdr := &tar.Header{Name: ent.Name, Mode: 0o644, Size: int64(len(ent.Data)), ModTime: ent.ModTime}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(ent.Data); err != nil {
			return err
		}
	}
	return nil
}

// StreamTarChecked returns the checked Close on the success path.
func (e *Exporter) StreamTarChecked(out io.Writer, entries []Entry) error {
	tw := tar.NewWriter(out)
	defer tw.Close() // ok: error path only; success path returns tw.Close()
	for _, ent := range entries {
		hdr := &tar.Header{Name: ent.Name, Mode: 0o644, Size: int64(len(ent.Data)), ModTime: ent.ModTime}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(ent.Data); err != nil {
			return err
		}
	}
	return tw.Close()
}

// User is exported to CSV.
type User struct {
	ID    int64
	Email string
}

// ExportUsersCSV defers csv.Writer.Flush and never looks at cw.Error().
func ExportUsersCSV(path string, users []User) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"id", "email"}); err != nil {
		return err
	}
	for _, u := range users {
		if err := cw.Write([]string{strconv.FormatInt(u.ID, 10), u.Email}); err != nil {
			return err
		}
	}
	return nil
}

// ExportUsersCSVChecked flushes and checks cw.Error() on the success path.
func ExportUsersCSVChecked(path string, users []User) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"id", "email"}); err != nil {
		return err
	}
	for _, u := range users {
		if err := cw.Write([]string{strconv.FormatInt(u.ID, 10), u.Email}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SaveJSON is a generic writer that drops the Close error.
func SaveJSON[T any](path string, v T) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// LoadJSON is its read-only counterpart.
func LoadJSON[T any](path string) (T, error) {
	var v T
	f, err := os.Open(path)
	if err != nil {
		return v, err
	}
	defer f.Close() // ok: read-only
	err = json.NewDecoder(f).Decode(&v)
	return v, err
}

// SegmentStore manages append-only segment files.
type SegmentStore struct {
	dir string
}

func (s *SegmentStore) segPath(id int) string {
	return filepath.Join(s.dir, fmt.Sprintf("%08d.seg", id))
}

func (s *SegmentStore) spillPath() string {
	return filepath.Join(s.dir, "spill-"+strconv.FormatInt(time.Now().UnixNano(), 36))
}

func (s *SegmentStore) header(id int) []byte {
	h := make([]byte, 16)
	copy(h, "SEG1")
	binary.LittleEndian.PutUint64(h[8:], uint64(id))
	return h
}

// Rotate truncates and re-initialises a segment; the deferred closure
// explicitly throws the Close error away.
func (s *SegmentStore) Rotate(id int) error {
	f, err := os.OpenFile(s.segPath(id), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // HAZ defer-close-unchecked-write
	if _, err := f.Write(s.header(id)); err != nil {
		return err
	}
	return nil
}

// Commit appends a payload and fsyncs; the checked Sync is the durability
// point, so the deferred Close is fine.
func (s *SegmentStore) Commit(id int, payload []byte) error {
	f, err := os.OpenFile(s.segPath(id), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer f.Close() // ok: checked Sync on the success path
	if _, err := f.Write(payload); err != nil {
		return err
	}
	return f.Sync()
}

// ReadHeader opens the segment read-only through OpenFile.
func (s *SegmentStore) ReadHeader(id int) ([]byte, error) {
	f, err := os.OpenFile(s.segPath(id), os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	hdr := make([]byte, 16)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return nil, err
	}
	return hdr, nil
}

type spool struct {
	file *os.File
	w    *bufio.Writer
}

// Spill writes records through a struct that holds the file; the buffer
// flush is checked but the file's Close error (the only report of a failed
// write-back) is not.
func (s *SegmentStore) Spill(records [][]byte) (string, error) {
	var sp spool
	var err error
	sp.file, err = os.Create(s.spillPath())
	if err != nil {
		return "", err
	}
	defer sp.file.Close() // HAZ defer-close-unchecked-write
	sp.w = bufio.NewWriter(sp.file)
	for _, r := range records {
		var n [4]byte
		binary.LittleEndian.PutUint32(n[:], uint32(len(r)))
		if _, err := sp.w.Write(n[:]); err != nil {
			return "", err
		}
		if _, err := sp.w.Write(r); err != nil {
			return "", err
		}
	}
	return sp.file.Name(), sp.w.Flush()
}

// AtomicWrite writes a temp file and renames it over path without ever
// checking the temp file's Close: a failed write-back is renamed into place.
func AtomicWrite(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer tmp.Close() // HAZ defer-close-unchecked-write
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// AtomicWriteChecked syncs and closes before renaming.
func AtomicWriteChecked(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}() // ok: cleanup on failure only
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
