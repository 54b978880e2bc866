// Package snapshot persists service state and reports to disk.
package snapshot

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// WriteJSON atomically replaces path with the JSON encoding of v.
func WriteJSON(path string, v any) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	defer tmp.Close()
	if err := json.NewEncoder(tmp).Encode(v); err != nil {
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

// WriteGzip writes v as gzip-compressed JSON. The gzip stream is closed
// before the file, and both errors reach the caller.
func WriteGzip(path string, v any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return json.NewEncoder(zw).Encode(v)
}

// WriteGzipLines writes one JSON document per line, gzip-compressed.
func WriteGzipLines[T any](path string, recs []T) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(zw)
	for i := range recs {
		if err := enc.Encode(recs[i]); err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
	}
	return nil
}

// WriteReport writes a plain-text table of counters to path.
func WriteReport(path, title string, rows map[string]int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if _, err := fmt.Fprintf(f, "# %s\n", title); err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := fmt.Fprintf(f, "%-40s %12d\n", k, rows[k]); err != nil {
			return err
		}
	}
	return nil
}

// AppendLines appends lines to the journal at path.
func AppendLines(path string, lines []string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, l := range lines {
		if _, err := io.WriteString(f, l+"\n"); err != nil {
			return err
		}
	}
	return f.Close()
}

// WriteCSV writes header and rows to path; a failing close is reported
// unless an earlier error already is.
func WriteCSV(path string, header []string, rows [][]string) (err error) {
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
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}
