// Package export writes and reads snapshot files: JSON, gzip'd NDJSON and an
// append-only journal.
package export

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// WriteGzipJSON writes items as one gzip-compressed JSON array.
func WriteGzipJSON[T any](path string, items []T) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(zw).Encode(items)
}

// WriteGzipNDJSON writes items as gzip-compressed newline-delimited JSON.
func WriteGzipNDJSON[T any](path string, items []T) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	enc := json.NewEncoder(zw)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes v as indented JSON.
func WriteJSON[T any](path string, v T) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteJSONSynced writes v as JSON and makes sure it reached the disk.
func WriteJSONSynced[T any](path string, v T) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(v); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// WriteFileAtomic replaces path with data via a temporary file and a rename.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
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

// ReadJSON decodes the JSON file at path into a T.
func ReadJSON[T any](path string) (T, error) {
	var v T
	f, err := os.Open(path)
	if err != nil {
		return v, err
	}
	defer f.Close()
	err = json.NewDecoder(f).Decode(&v)
	return v, err
}

// LastLine returns the last non-empty line of a text file, reading at most
// the final 4 KiB.
func LastLine(path string) (string, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	off := fi.Size() - 4096
	if off < 0 {
		off = 0
	}
	buf, err := io.ReadAll(io.NewSectionReader(f, off, fi.Size()-off))
	if err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimRight(string(buf), "\n"), "\n")
	return lines[len(lines)-1], nil
}

// Journal appends JSON records of type T to a file, one per line.
type Journal[T any] struct {
	f   *os.File
	bw  *bufio.Writer
	enc *json.Encoder
}

// OpenJournal opens (or creates) the journal at path for appending.
func OpenJournal[T any](path string) (*Journal[T], error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriter(f)
	return &Journal[T]{f: f, bw: bw, enc: json.NewEncoder(bw)}, nil
}

// Append buffers one record.
func (j *Journal[T]) Append(v T) error {
	return j.enc.Encode(v)
}

// Close flushes buffered records and closes the file.
func (j *Journal[T]) Close() error {
	return errors.Join(j.bw.Flush(), j.f.Close())
}

// Archive appends items to the journal at path.
func Archive[T any](path string, items []T) (err error) {
	j, err := OpenJournal[T](path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, j.Close()) }()
	for _, it := range items {
		if err := j.Append(it); err != nil {
			return err
		}
	}
	return nil
}
