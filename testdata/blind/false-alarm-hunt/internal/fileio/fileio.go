// Package fileio writes and reads files and archives the way production
// code does: every write path surfaces its Close/Flush error.
package fileio

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// WriteFileAtomic writes data to a temp file in the same directory, syncs,
// closes (checked) and renames it over path. The deferred cleanup only does
// work on the error path.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			_ = tmp.Close() // ok: already failing; the primary error wins
			_ = os.Remove(tmpName)
		}
	}()

	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmpName, path)
}

// WriteJSONLines joins the Close error into the named result.
func WriteJSONLines(path string, records []any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, r := range records {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// SaveReport closes explicitly (and checks) on the success path; the
// deferred Close only covers the early error returns.
func SaveReport(path string, lines []string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // ok: error paths only; success path returns f.Close()

	for _, l := range lines {
		if _, err := io.WriteString(f, l+"\n"); err != nil {
			return err
		}
	}
	return f.Close()
}

// CompressFile gzips src into dst. The gzip writer's closure is registered
// after the file's, so LIFO closes the gzip stream first.
func CompressFile(src, dst string) (err error) {
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
	defer func() { err = errors.Join(err, zw.Close()) }()

	_, err = io.Copy(zw, in)
	return err
}

// ArchiveDir writes a .tar.gz of root: tar over gzip over file, closed in
// that order with every error joined.
func ArchiveDir(root, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, gz.Close()) }()
	tw := tar.NewWriter(gz)
	defer func() { err = errors.Join(err, tw.Close()) }()

	return filepath.WalkDir(root, func(path string, d fs.DirEntry, walkErr error) error {
		if walkErr != nil {
			return walkErr
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		return copyFileInto(tw, path)
	})
}

func copyFileInto(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// ZipFiles closes the zip writer and then the file inside one deferred
// errors.Join: arguments are evaluated left to right.
func ZipFiles(dst string, files map[string][]byte) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close(), f.Close()) }()

	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(files[name]); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSV keeps the first error: a Close failure only replaces a nil err.
func ExportCSV(path string, header []string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		return err
	}
	return w.WriteAll(rows) // WriteAll flushes and returns w.Error()
}

// AppendAuditRecord syncs (checked) on the success path; the deferred Close
// after a successful fsync cannot lose data.
func AppendAuditRecord(path string, rec []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	line := make([]byte, 0, len(rec)+1)
	line = append(append(line, rec...), '\n')
	if _, err := f.Write(line); err != nil {
		return err
	}
	return f.Sync()
}

// CountLines reads a file opened read-only.
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

// ReadHeader opens with an explicit O_RDONLY flag.
func ReadHeader(path string, n int) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	if _, err := io.ReadFull(f, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// ReadGzipLines closes the decompressor and the file; both are readers, so
// neither has anything to flush into the other and the order is irrelevant.
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
	defer zr.Close()
	defer f.Close() // ok: read side, nothing to flush

	var lines []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// LoadSnapshot registers a nil-guarded close before looking at err.
func LoadSnapshot(path string) (map[string]string, error) {
	f, err := os.Open(path)
	defer func() {
		if f != nil { // ok: guarded, os.Open returns a nil *File on error
			_ = f.Close()
		}
	}()
	if err != nil {
		return nil, err
	}
	snap := make(map[string]string)
	if err := json.NewDecoder(f).Decode(&snap); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return snap, nil
}

// LoadOverrides treats a missing file as "no overrides"; the defer follows
// both error checks.
func LoadOverrides(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()

	out := make(map[string]string)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out, sc.Err()
}

// ReadIfExists uses the if-with-initializer form: the defer sits in the
// err == nil branch.
func ReadIfExists(path string) ([]byte, bool, error) {
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		b, err := io.ReadAll(f)
		return b, true, err
	} else if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	} else {
		return nil, false, err
	}
}

// GzipToWriter wraps a caller-owned writer; only the gzip stream is ours and
// its Close error is returned.
func GzipToWriter(w io.Writer, r io.Reader) error {
	zw := gzip.NewWriter(w)
	if _, err := io.Copy(zw, r); err != nil {
		_ = zw.Close()
		return err
	}
	return zw.Close()
}

// WriteTarball registers a deferred tw.Close for the error paths and closes
// (checked) on the success path. tar.Writer.Close is idempotent.
func WriteTarball(w io.Writer, files map[string]string) error {
	tw := tar.NewWriter(w)
	defer tw.Close() // ok: success path returns tw.Close()

	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		body := files[n]
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(body))}); err != nil {
			return err
		}
		if _, err := io.WriteString(tw, body); err != nil {
			return err
		}
	}
	return tw.Close()
}

// WriteBuffered layers a bufio.Writer over a file: the flush is explicit and
// checked, and the file Close error is joined into the result.
func WriteBuffered(path string, chunks [][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	bw := bufio.NewWriterSize(f, 64<<10)
	for _, c := range chunks {
		if _, err := bw.Write(c); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// closeInto is deferred directly; it records a Close error into *errp.
func closeInto(errp *error, c io.Closer) {
	if cerr := c.Close(); cerr != nil && *errp == nil {
		*errp = cerr
	}
}

// WriteManifest defers a helper that writes the Close error through a
// pointer to the named result.
func WriteManifest(path string, entries map[string]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer closeInto(&err, f)

	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}

// WritePIDFile records the process id.
func WritePIDFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%d\n", os.Getpid())
	return err
}

// WriteGzipJSON stores v as gzip-compressed JSON.
func WriteGzipJSON(path string, v any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(zw).Encode(v)
}
