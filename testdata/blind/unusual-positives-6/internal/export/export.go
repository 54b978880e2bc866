// Package export writes up6 data as compressed CSV, tar.gz bundles and JSON
// lines.
package export

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"example.com/up6/internal/fsx"
)

// Row is one exported key/value sample.
type Row struct {
	Key   string
	Value int64
	At    time.Time
}

// Entry is one file of a bundle.
type Entry struct {
	Name string
	Body []byte
}

// WriteGzipCSV writes rows to path as gzip-compressed CSV.
func WriteGzipCSV(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted

	cw := csv.NewWriter(zw)
	for _, r := range rows {
		rec := []string{r.Key, strconv.FormatInt(r.Value, 10), r.At.UTC().Format(time.RFC3339)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTarGz bundles files into a .tar.gz at path, in name order.
func WriteTarGz(path string, files map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()

	for _, name := range slices.Sorted(maps.Keys(files)) {
		body := files[name]
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(body); err != nil {
			return err
		}
	}
	return nil
}

// WriteBundle streams entries as a tar.gz to w (an HTTP body or a socket).
func WriteBundle(w io.Writer, entries []Entry) (err error) {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted

	now := time.Now()
	for _, e := range entries {
		hdr := &tar.Header{Name: e.Name, Mode: 0o644, Size: int64(len(e.Body)), ModTime: now}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(e.Body); err != nil {
			return err
		}
	}
	return nil
}

// Sink writes typed records as JSON lines into files under one directory.
type Sink[T any] struct {
	dir string
}

// NewSink returns a sink writing under dir.
func NewSink[T any](dir string) *Sink[T] {
	return &Sink[T]{dir: dir}
}

// Dump replaces file with one JSON line per item.
func (s *Sink[T]) Dump(file string, items []T) error {
	f, err := fsx.CreateIn(s.dir, file)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write

	enc := json.NewEncoder(f)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// Append adds one JSON line per item to file, syncing before it returns.
func (s *Sink[T]) Append(file string, items []T) (err error) {
	f, release, err := fsx.OpenAppend(filepath.Join(s.dir, file))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, release()) }()

	enc := json.NewEncoder(f)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// AppendBuffered is Append through a 64 KiB buffer, for large batches.
func (s *Sink[T]) AppendBuffered(file string, items []T) (err error) {
	f, release, err := fsx.OpenAppend(filepath.Join(s.dir, file))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, release()) }()
	bw := bufio.NewWriterSize(f, 64<<10)
	defer bw.Flush() // HAZ defer-close-unchecked-write

	enc := json.NewEncoder(bw)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// AppendBufferedChecked is AppendBuffered with the buffer flushed and
// checked before the file is released.
func (s *Sink[T]) AppendBufferedChecked(file string, items []T) (err error) {
	f, release, err := fsx.OpenAppend(filepath.Join(s.dir, file))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, release()) }()
	bw := bufio.NewWriterSize(f, 64<<10)

	enc := json.NewEncoder(bw)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return bw.Flush()
}
