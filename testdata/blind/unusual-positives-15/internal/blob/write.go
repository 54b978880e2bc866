package blob

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// WriteJSONLines writes items to path as newline-delimited JSON.
func WriteJSONLines[T any](path string, items []T) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for i, it := range items {
		if err := enc.Encode(it); err != nil {
			return fmt.Errorf("blob: %s: item %d: %w", path, i, err)
		}
	}
	return nil
}

// WriteJSONFile writes v to path as indented JSON. The close error is joined
// into the named result.
func WriteJSONFile[T any](path string, v T) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ReadJSONLines is the inverse of WriteJSONLines.
func ReadJSONLines[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []T
	dec := json.NewDecoder(bufio.NewReader(f))
	for {
		var v T
		if err := dec.Decode(&v); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("blob: %s: record %d: %w", path, len(out), err)
		}
		out = append(out, v)
	}
}

// WriteCSV writes a header and one row per item. The deferred close only
// matters on the error paths; the success path checks the flush and the
// close.
func WriteCSV[T any](path string, header []string, items []T, row func(T) []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		return err
	}
	for _, it := range items {
		if err := w.Write(row(it)); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Close()
}

// WriteGzipJSON writes v to path as gzip-compressed JSON.
func WriteGzipJSON[T any](path string, v T) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(zw).Encode(v)
}

// WriteGzipLines writes one line per item, gzip-compressed. The file's
// close is registered first so that it runs after the gzip trailer has been
// written.
func WriteGzipLines[T fmt.Stringer](path string, items []T) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, it := range items {
		if _, err := io.WriteString(zw, it.String()+"\n"); err != nil {
			return err
		}
	}
	return nil
}
