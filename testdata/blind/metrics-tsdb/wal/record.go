package wal

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

const recordHeaderSize = 8 // length uint32 + crc32c uint32

// MaxRecordSize bounds a single record.
const MaxRecordSize = 16 << 20

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errChecksum reports a record whose checksum does not match.
var errChecksum = errors.New("record checksum mismatch")

func encodeRecord(dst, rec []byte) []byte {
	var hdr [recordHeaderSize]byte
	binary.BigEndian.PutUint32(hdr[0:4], uint32(len(rec)))
	binary.BigEndian.PutUint32(hdr[4:8], crc32.Checksum(rec, castagnoli))
	dst = append(dst, hdr[:]...)
	return append(dst, rec...)
}

// Reader iterates over the records of one segment.
type Reader struct {
	r      *bufio.Reader
	rec    []byte
	err    error
	offset int64 // offset of the next record
}

// NewReader returns a reader over r.
func NewReader(r *bufio.Reader) *Reader {
	return &Reader{r: r}
}

// Next advances to the next record.
func (r *Reader) Next() bool {
	if r.err != nil {
		return false
	}
	var hdr [recordHeaderSize]byte
	if _, err := io.ReadFull(r.r, hdr[:]); err != nil {
		if err != io.EOF {
			r.err = fmt.Errorf("read header: %w", err)
		}
		return false
	}
	n := binary.BigEndian.Uint32(hdr[0:4])
	if n > MaxRecordSize {
		r.err = fmt.Errorf("record length %d exceeds limit", n)
		return false
	}
	if cap(r.rec) < int(n) {
		r.rec = make([]byte, n)
	}
	r.rec = r.rec[:n]
	if _, err := io.ReadFull(r.r, r.rec); err != nil {
		r.err = fmt.Errorf("read record: %w", err)
		return false
	}
	if crc32.Checksum(r.rec, castagnoli) != binary.BigEndian.Uint32(hdr[4:8]) {
		r.err = errChecksum
		return false
	}
	r.offset += int64(recordHeaderSize) + int64(n)
	return true
}

// Record returns the current record. It is valid until the next call to Next.
func (r *Reader) Record() []byte { return r.rec }

// Err returns the first error other than a clean end of segment.
func (r *Reader) Err() error { return r.err }

// Offset returns the offset just past the last good record.
func (r *Reader) Offset() int64 { return r.offset }

// CorruptionErr describes a damaged segment.
type CorruptionErr struct {
	Segment int
	Offset  int64
	Err     error
}

func (e *CorruptionErr) Error() string {
	return fmt.Sprintf("wal: corruption in segment %d at offset %d: %v", e.Segment, e.Offset, e.Err)
}

func (e *CorruptionErr) Unwrap() error { return e.Err }
