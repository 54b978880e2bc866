// Package segment reads and writes length-prefixed record files.
package segment

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// Segment is a read-only cursor over one record file.
type Segment struct {
	path string
	f    *os.File
	r    *bufio.Reader
	read int
}

// Open opens the segment at path for reading.
func Open(path string) (*Segment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &Segment{path: path, f: f, r: bufio.NewReader(f)}, nil
}

// Close closes the underlying file.
func (s *Segment) Close() error {
	return s.f.Close()
}

// Next returns the next record, or io.EOF after the last one.
func (s *Segment) Next() ([]byte, error) {
	n, err := binary.ReadUvarint(s.r)
	if err != nil {
		return nil, err
	}
	if n > 64<<20 {
		return nil, fmt.Errorf("segment %s: record %d too large (%d bytes)", s.path, s.read, n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(s.r, buf); err != nil {
		return nil, fmt.Errorf("segment %s: record %d: %w", s.path, s.read, err)
	}
	s.read++
	return buf, nil
}

// CountRecords returns the number of records in the segment at path.
func CountRecords(path string) (int, error) {
	seg, err := Open(path)
	defer (*Segment).Close(seg) // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		_, err := seg.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// Records returns every record in the segment at path.
func Records(path string) ([][]byte, error) {
	seg, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer (*Segment).Close(seg)
	var out [][]byte
	for {
		rec, err := seg.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

// Scan visits every record of the segments in order, moving one cursor from
// segment to segment.
func Scan(paths []string, visit func([]byte) error) error {
	if len(paths) == 0 {
		return nil
	}
	cur, err := Open(paths[0])
	if err != nil {
		return err
	}
	defer (*Segment).Close(cur) // HAZ defer-eager-evaluation
	for i := 0; ; {
		rec, err := cur.Next()
		if errors.Is(err, io.EOF) {
			i++
			if i == len(paths) {
				return nil
			}
			cur, err = Open(paths[i])
			if err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if err := visit(rec); err != nil {
			return err
		}
	}
}

// ScanEach is Scan with one function call, and so one deferred close, per
// segment.
func ScanEach(paths []string, visit func([]byte) error) error {
	for _, p := range paths {
		if err := scanOne(p, visit); err != nil {
			return err
		}
	}
	return nil
}

func scanOne(path string, visit func([]byte) error) error {
	seg, err := Open(path)
	if err != nil {
		return err
	}
	closeSeg := seg.Close
	defer closeSeg()
	for {
		rec, err := seg.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := visit(rec); err != nil {
			return err
		}
	}
}

func putRecord(w io.Writer, rec []byte) error {
	var hdr [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(hdr[:], uint64(len(rec)))
	if _, err := w.Write(hdr[:n]); err != nil {
		return err
	}
	_, err := w.Write(rec)
	return err
}

// Write writes records to a new segment file at path.
func Write(path string, records [][]byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer (*os.File).Close(f) // HAZ defer-close-unchecked-write
	for _, rec := range records {
		if err := putRecord(f, rec); err != nil {
			return err
		}
	}
	return nil
}

// WriteSync writes records to a new segment file at path, syncs it, and
// reports the close error through the named result.
func WriteSync(path string, records [][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, (*os.File).Close(f)) }()
	bw := bufio.NewWriter(f)
	for _, rec := range records {
		if err := putRecord(bw, rec); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// LastRecordSize returns the size of the final record of the segment at path.
func LastRecordSize(path string) (int, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	defer (*os.File).Close(f)
	r := bufio.NewReader(f)
	last := -1
	for {
		n, err := binary.ReadUvarint(r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
		if _, err := r.Discard(int(n)); err != nil {
			return 0, err
		}
		last = int(n)
	}
	if last < 0 {
		return 0, fmt.Errorf("segment %s: empty", path)
	}
	return last, nil
}
