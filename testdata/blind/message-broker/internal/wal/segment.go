// Package wal implements a segmented, append-only write-ahead log with
// periodic fsync, key-based compaction and checkpoints.
package wal

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

const (
	segmentExt   = ".seg"
	segmentMagic = "MBWAL001"
	headerSize   = 16
	recHdrSize   = 8
	recFixedSize = 20
)

// Errors returned by the log.
var (
	ErrClosed     = errors.New("wal: log closed")
	ErrCorrupt    = errors.New("wal: corrupt record")
	ErrOutOfRange = errors.New("wal: offset out of range")
	ErrBadHeader  = errors.New("wal: bad segment header")
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Record is one log entry.
type Record struct {
	Offset    int64
	Timestamp int64
	Key       []byte
	Value     []byte
}

type indexEntry struct {
	offset int64
	pos    int64
}

// Segment is one file of the log holding a contiguous offset range.
type Segment struct {
	base  int64
	path  string
	f     *os.File
	size  int64
	next  int64
	index []indexEntry
	pins  atomic.Int32
}

func segmentName(dir string, base int64) string {
	return filepath.Join(dir, fmt.Sprintf("%020d%s", base, segmentExt))
}

func parseSegmentName(name string) (int64, bool) {
	if !strings.HasSuffix(name, segmentExt) {
		return 0, false
	}
	base, err := strconv.ParseInt(strings.TrimSuffix(name, segmentExt), 10, 64)
	if err != nil {
		return 0, false
	}
	return base, true
}

func encodeHeader(base int64) []byte {
	b := make([]byte, headerSize)
	copy(b, segmentMagic)
	binary.BigEndian.PutUint64(b[8:], uint64(base))
	return b
}

func createSegment(dir string, base int64) (*Segment, error) {
	path := segmentName(dir, base)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(encodeHeader(base)); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("wal: write header: %w", err)
	}
	return &Segment{base: base, path: path, f: f, size: headerSize, next: base}, nil
}

func openSegment(path string) (*Segment, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	hdr := make([]byte, headerSize)
	if _, err := io.ReadFull(f, hdr); err != nil || string(hdr[:8]) != segmentMagic {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, ErrBadHeader)
	}
	base := int64(binary.BigEndian.Uint64(hdr[8:]))
	s := &Segment{base: base, path: path, f: f, size: headerSize, next: base}
	if err := s.scan(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// readSegmentHeader returns the base offset recorded in a segment file.
func readSegmentHeader(path string) (int64, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	hdr := make([]byte, headerSize)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return 0, err
	}
	if string(hdr[:8]) != segmentMagic {
		return 0, ErrBadHeader
	}
	return int64(binary.BigEndian.Uint64(hdr[8:])), nil
}

// scan rebuilds the in-memory index and truncates a torn tail.
func (s *Segment) scan() error {
	if _, err := s.f.Seek(headerSize, io.SeekStart); err != nil {
		return err
	}
	br := bufio.NewReader(s.f)
	pos := int64(headerSize)
	for {
		rec, n, err := readRecord(br)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// Torn write at the tail: drop it.
			if terr := s.f.Truncate(pos); terr != nil {
				return terr
			}
			break
		}
		s.index = append(s.index, indexEntry{offset: rec.Offset, pos: pos})
		s.next = rec.Offset + 1
		pos += int64(n)
	}
	s.size = pos
	_, err := s.f.Seek(pos, io.SeekStart)
	return err
}

func encodeRecord(buf []byte, r Record) []byte {
	payloadLen := recFixedSize + len(r.Key) + len(r.Value)
	start := len(buf)
	buf = binary.BigEndian.AppendUint32(buf, uint32(payloadLen))
	buf = binary.BigEndian.AppendUint32(buf, 0)
	buf = binary.BigEndian.AppendUint64(buf, uint64(r.Offset))
	buf = binary.BigEndian.AppendUint64(buf, uint64(r.Timestamp))
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(r.Key)))
	buf = append(buf, r.Key...)
	buf = append(buf, r.Value...)
	crc := crc32.Checksum(buf[start+recHdrSize:], crcTable)
	binary.BigEndian.PutUint32(buf[start+4:], crc)
	return buf
}

func decodePayload(p []byte) (Record, error) {
	if len(p) < recFixedSize {
		return Record{}, ErrCorrupt
	}
	klen := int(binary.BigEndian.Uint32(p[16:20]))
	if recFixedSize+klen > len(p) {
		return Record{}, ErrCorrupt
	}
	return Record{
		Offset:    int64(binary.BigEndian.Uint64(p[0:8])),
		Timestamp: int64(binary.BigEndian.Uint64(p[8:16])),
		Key:       append([]byte(nil), p[recFixedSize:recFixedSize+klen]...),
		Value:     append([]byte(nil), p[recFixedSize+klen:]...),
	}, nil
}

func readRecord(r io.Reader) (Record, int, error) {
	var hdr [recHdrSize]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Record{}, 0, err
	}
	n := binary.BigEndian.Uint32(hdr[0:4])
	if n > 64<<20 {
		return Record{}, 0, ErrCorrupt
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return Record{}, 0, ErrCorrupt
	}
	if crc32.Checksum(p, crcTable) != binary.BigEndian.Uint32(hdr[4:8]) {
		return Record{}, 0, ErrCorrupt
	}
	rec, err := decodePayload(p)
	return rec, recHdrSize + int(n), err
}

func (s *Segment) append(key, value []byte) (int64, error) {
	rec := Record{Offset: s.next, Timestamp: time.Now().UnixNano(), Key: key, Value: value}
	buf := encodeRecord(nil, rec)
	if _, err := s.f.WriteAt(buf, s.size); err != nil {
		return 0, err
	}
	s.index = append(s.index, indexEntry{offset: rec.Offset, pos: s.size})
	s.size += int64(len(buf))
	s.next++
	return rec.Offset, nil
}

func (s *Segment) readAt(offset int64) (Record, error) {
	i := offset - s.base
	if i < 0 || i >= int64(len(s.index)) {
		return Record{}, ErrOutOfRange
	}
	sr := io.NewSectionReader(s.f, s.index[i].pos, s.size-s.index[i].pos)
	rec, _, err := readRecord(sr)
	return rec, err
}

// Sync flushes the segment to stable storage.
func (s *Segment) Sync() error { return s.f.Sync() }

// Close closes the segment file.
func (s *Segment) Close() error { return s.f.Close() }

// Base returns the first offset of the segment.
func (s *Segment) Base() int64 { return s.base }

// NextOffset returns the offset the next append receives.
func (s *Segment) NextOffset() int64 { return s.next }

// Size returns the file size in bytes.
func (s *Segment) Size() int64 { return s.size }

// Verify re-reads every record and checks its checksum. The file is opened
// read-only, so the deferred Close needs no error handling.
func (s *Segment) Verify() error {
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Seek(headerSize, io.SeekStart); err != nil {
		return err
	}
	br := bufio.NewReader(f)
	want := s.base
	for {
		rec, _, err := readRecord(br)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: offset %d: %w", s.path, want, err)
		}
		if rec.Offset != want {
			return fmt.Errorf("%s: offset gap at %d (found %d)", s.path, want, rec.Offset)
		}
		want++
	}
}

// finish syncs the segment before it is sealed.
func (s *Segment) finish() error {
	defer func() error { // HAZ defer-ineffective-return
		if err := s.f.Sync(); err != nil {
			return fmt.Errorf("wal: sync sealed segment %s: %w", s.path, err)
		}
		return nil
	}()
	if s.size == headerSize {
		return nil
	}
	return s.f.Truncate(s.size)
}

func (s *Segment) pin() func() {
	s.pins.Add(1)
	return func() { s.pins.Add(-1) }
}
