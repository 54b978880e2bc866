// Package export writes order reports to disk: CSV, gzipped JSON lines
// and an append-only audit file.
package export

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
	"strconv"

	"example.com/fah15/internal/store"
)

// WriteCSV writes orders to path; the close error is joined into the result.
func WriteCSV(path string, orders []store.Order) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	w := csv.NewWriter(f)
	if err := w.Write([]string{"id", "customer", "total_cents", "status"}); err != nil {
		return err
	}
	for _, o := range orders {
		rec := []string{strconv.FormatInt(o.ID, 10), o.Customer, strconv.FormatInt(o.TotalCents, 10), o.Status}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// WriteJSONLines writes one JSON object per line through a buffered writer,
// flushing and closing explicitly on the success path.
func WriteJSONLines(path string, orders []store.Order) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, o := range orders {
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// WriteGzipJSON writes gzipped JSON lines; the gzip trailer is flushed and
// checked before the file is closed.
func WriteGzipJSON(path string, orders []store.Order) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	for _, o := range orders {
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	return zw.Close()
}

// WriteSnapshot gzips a full snapshot of the orders to path.
func WriteSnapshot(path string, orders []store.Order) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(zw)
	enc.SetIndent("", "  ")
	return enc.Encode(orders)
}

// AppendAudit appends one line to the audit file.
func AppendAudit(path, line string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintln(f, line)
	return err
}

// AppendAuditDurable appends a line and fsyncs before returning.
func AppendAuditDurable(path, line string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, line); err != nil {
		return err
	}
	return f.Sync()
}

// WriteFileAtomic writes data to a temporary file and renames it into place.
func WriteFileAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	defer tmp.Close()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Manifest lists the files of one export run.
type Manifest struct {
	Files []string `json:"files"`
	Rows  int      `json:"rows"`
}

// ReadManifest loads a manifest; the file is only read.
func ReadManifest(path string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(path)
	if err != nil {
		return m, err
	}
	defer f.Close()
	err = json.NewDecoder(f).Decode(&m)
	return m, err
}

// CountLines counts lines of a (possibly gzipped) export.
func CountLines(path string) (int, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var r io.Reader = f
	if filepath.Ext(path) == ".gz" {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return 0, err
		}
		defer zr.Close()
		r = zr
	}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// VerifyAll checks that every file in the manifest is readable, opening
// each inside its own function so it is closed per iteration.
func VerifyAll(dir string, m Manifest) error {
	for _, name := range m.Files {
		if err := func() error {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(io.Discard, f)
			return err
		}(); err != nil {
			return fmt.Errorf("verify %s: %w", name, err)
		}
	}
	return nil
}
