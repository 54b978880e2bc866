// Package backup writes and reads table dumps, manifests and the journal.
package backup

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Manifest describes one dump directory.
type Manifest struct {
	Tables  []string       `json:"tables"`
	Rows    map[string]int `json:"rows"`
	Created time.Time      `json:"created"`
	Source  string         `json:"-"` // where a fetched manifest came from
}

// WriteCSV writes records to path as CSV. The file is closed on every path
// and a failing Close is reported through the named result.
func WriteCSV(path string, header []string, records [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		return err
	}
	if err := w.WriteAll(records); err != nil {
		return fmt.Errorf("backup: write %s: %w", path, err)
	}
	w.Flush()
	return w.Error()
}

// WriteJSONLines writes one JSON document per line.
func WriteJSONLines(path string, items []any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for i, it := range items {
		if err := enc.Encode(it); err != nil {
			return fmt.Errorf("backup: encode item %d: %w", i, err)
		}
	}
	return nil
}

// WriteManifest writes m as indented JSON. The deferred Close covers the
// error paths; the success path closes explicitly and returns its error.
func WriteManifest(path string, m Manifest) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Close()
}

// WriteKeyList writes one key per line through a buffered writer.
func WriteKeyList(path string, keys []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriter(f)
	defer w.Flush() // HAZ defer-close-unchecked-write
	for _, k := range keys {
		if _, err := w.WriteString(k + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteKeyListChecked is WriteKeyList with the buffer flushed, and its
// error returned, before the file is closed.
func WriteKeyListChecked(path string, keys []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriter(f)
	for _, k := range keys {
		if _, err := w.WriteString(k + "\n"); err != nil {
			return err
		}
	}
	return w.Flush()
}

// ReadManifest reads a manifest written by WriteManifest.
func ReadManifest(path string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(path)
	if err != nil {
		return m, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return m, fmt.Errorf("backup: manifest %s: %w", path, err)
	}
	return m, nil
}

// WriteIndexGz writes the key index of a dump, gzip-compressed, and syncs
// it to disk.
func WriteIndexGz(path string, keys []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	for _, k := range keys {
		if _, err := io.WriteString(zw, k+"\n"); err != nil {
			return err
		}
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// WriteSnapshotGz writes rows as gzip-compressed TSV. The gzip stream is
// closed (writing its trailer) before the deferred file Close runs.
func WriteSnapshotGz(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	bw := bufio.NewWriter(zw)
	for _, r := range rows {
		if _, err := bw.WriteString(strings.Join(r, "\t") + "\n"); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// ReadSnapshotGz reads a file written by WriteSnapshotGz.
func ReadSnapshotGz(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("backup: %s: %w", path, err)
	}
	defer zr.Close()
	var rows [][]string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		rows = append(rows, strings.Split(sc.Text(), "\t"))
	}
	return rows, sc.Err()
}

// AppendJournal appends one line to the journal and syncs it; the journal
// is the recovery log, so a line only counts once it is on disk.
func AppendJournal(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString(line + "\n"); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup: sync journal: %w", err)
	}
	return nil
}

// ReadJournal returns the journal lines after skip.
func ReadJournal(path string, skip int) ([]string, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for n := 0; sc.Scan(); n++ {
		if n >= skip {
			lines = append(lines, sc.Text())
		}
	}
	return lines, sc.Err()
}

// WriteFileAtomic writes data to a temp file next to path and renames it
// into place, so readers never see a partial file.
func WriteFileAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(name)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(name, path)
}
