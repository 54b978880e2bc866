// Package wal implements length-prefixed write-ahead log segments.
package wal

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Segment is one append-only log file.
type Segment struct {
	f    *os.File
	w    *bufio.Writer
	size int64
}

// OpenSegment opens (creating if needed) the segment at path for appending.
func OpenSegment(path string) (*Segment, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Segment{f: f, w: bufio.NewWriterSize(f, 64<<10), size: st.Size()}, nil
}

// Append writes one record.
func (s *Segment) Append(rec []byte) error {
	var hdr [4]byte
	binary.LittleEndian.PutUint32(hdr[:], uint32(len(rec)))
	if _, err := s.w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := s.w.Write(rec); err != nil {
		return err
	}
	s.size += int64(len(hdr) + len(rec))
	return nil
}

// Size returns the segment size including buffered records.
func (s *Segment) Size() int64 { return s.size }

// Close flushes buffered records, syncs and closes the file.
func (s *Segment) Close() error {
	return errors.Join(s.w.Flush(), s.f.Sync(), s.f.Close())
}

// Reader reads records back from a segment.
type Reader struct {
	f *os.File
	r *bufio.Reader
}

// OpenReader opens the segment at path for reading.
func OpenReader(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &Reader{f: f, r: bufio.NewReader(f)}, nil
}

// Next returns the next record, or io.EOF after the last one.
func (r *Reader) Next() ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r.r, hdr[:]); err != nil {
		return nil, err
	}
	rec := make([]byte, binary.LittleEndian.Uint32(hdr[:]))
	if _, err := io.ReadFull(r.r, rec); err != nil {
		return nil, fmt.Errorf("wal: torn record: %w", err)
	}
	return rec, nil
}

// Close closes the underlying file.
func (r *Reader) Close() error { return r.f.Close() }

// Rotator writes records into numbered segments of bounded size.
type Rotator struct {
	dir string
	max int64
	seq int
}

// NewRotator returns a rotator writing segments of about max bytes into dir.
func NewRotator(dir string, max int64) *Rotator {
	return &Rotator{dir: dir, max: max}
}

func (r *Rotator) next() (*Segment, error) {
	r.seq++
	return OpenSegment(filepath.Join(r.dir, fmt.Sprintf("%08d.wal", r.seq)))
}

// WriteAll appends recs, starting a new segment whenever the current one is
// full. Every segment is flushed and closed before WriteAll returns.
func (r *Rotator) WriteAll(recs [][]byte) (err error) {
	seg, err := r.next()
	if err != nil {
		return err
	}
	finish := seg.Close
	defer func() { err = errors.Join(err, finish()) }()

	for _, rec := range recs {
		if seg.Size() >= r.max {
			old := seg
			if seg, err = r.next(); err != nil {
				return err
			}
			finish = seg.Close
			if err := old.Close(); err != nil {
				return err
			}
		}
		if err := seg.Append(rec); err != nil {
			return err
		}
	}
	return nil
}
