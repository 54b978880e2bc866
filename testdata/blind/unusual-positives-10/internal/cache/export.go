package cache

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// Exporter writes snapshots of T values as JSON lines.
type Exporter[T any] struct {
	dir  string
	name string
}

// NewExporter writes files named name.* into dir.
func NewExporter[T any](dir, name string) *Exporter[T] {
	return &Exporter[T]{dir: dir, name: name}
}

func (e *Exporter[T]) path(ext string) string {
	return filepath.Join(e.dir, e.name+ext)
}

// Dump writes items to name.jsonl.
func (e *Exporter[T]) Dump(items []T) error {
	f, err := os.Create(e.path(".jsonl"))
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

// DumpSafe is Dump with the close error joined into the result.
func (e *Exporter[T]) DumpSafe(items []T) (err error) {
	f, err := os.Create(e.path(".jsonl"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// DumpGzip writes items to name.jsonl.gz.
func (e *Exporter[T]) DumpGzip(items []T) (err error) {
	f, err := os.Create(e.path(".jsonl.gz"))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(zw)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// DumpGzipSafe is DumpGzip with the file closed last: the gzip writer's
// deferred Close runs first and flushes the trailer into the open file.
func (e *Exporter[T]) DumpGzipSafe(items []T) (err error) {
	f, err := os.Create(e.path(".jsonl.gz"))
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

// Load reads a file written by Dump.
func Load[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []T
	dec := json.NewDecoder(f)
	for dec.More() {
		var v T
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
