// Package spool owns the on-disk format of the agent's record spool: append
// files, compressed archives and the segment reader.
package spool

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
)

// Create opens path for appending records, creating it if needed.
func Create(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
}

// NewCompressed wraps w in a gzip writer at the given level.
func NewCompressed(w io.Writer, level int) (*gzip.Writer, error) {
	return gzip.NewWriterLevel(w, level)
}

// NewLineWriter buffers writes to w in 64 KiB chunks.
func NewLineWriter(w io.Writer) *bufio.Writer {
	return bufio.NewWriterSize(w, 64<<10)
}

// Reader reads newline-delimited records from one segment file.
type Reader struct {
	path string
	f    *os.File
	sc   *bufio.Scanner
}

// OpenReader opens the segment at path read-only.
func OpenReader(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	return &Reader{path: path, f: f, sc: sc}, nil
}

// Next returns the next record; the slice is valid until the next call.
func (r *Reader) Next() ([]byte, bool) {
	if !r.sc.Scan() {
		return nil, false
	}
	return r.sc.Bytes(), true
}

// Err reports the first read error, if any.
func (r *Reader) Err() error {
	if err := r.sc.Err(); err != nil {
		return fmt.Errorf("spool: read %s: %w", r.path, err)
	}
	return nil
}

// Close releases the segment file.
func (r *Reader) Close() error {
	return r.f.Close()
}
