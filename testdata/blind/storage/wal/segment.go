// Package wal implements a segmented write-ahead log. Records are framed as
// length (4 bytes, big endian), CRC-32C (4 bytes) and payload. The newest
// segment receives appends; older segments are sealed and read-only.
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
	"sort"
	"strconv"
	"strings"
)

const (
	segmentExt     = ".wal"
	recordOverhead = 8
	maxRecordSize  = 64 << 20
)

var (
	castagnoli = crc32.MakeTable(crc32.Castagnoli)

	// ErrCorrupt reports a record whose checksum or length is invalid.
	ErrCorrupt = errors.New("wal: corrupt record")
)

func segmentName(id uint64) string { return fmt.Sprintf("%020d%s", id, segmentExt) }

func segmentPath(dir string, id uint64) string { return filepath.Join(dir, segmentName(id)) }

func parseSegmentName(name string) (uint64, bool) {
	base, ok := strings.CutSuffix(name, segmentExt)
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseUint(base, 10, 64)
	return id, err == nil
}

// listSegments returns the segment ids in dir in ascending order.
func listSegments(dir string) ([]uint64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ids []uint64
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if id, ok := parseSegmentName(e.Name()); ok {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

type segment struct {
	id   uint64
	path string
	f    *os.File
	w    *bufio.Writer
	size int64
}

func createSegment(dir string, id uint64) (*segment, error) {
	p := segmentPath(dir, id)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &segment{id: id, path: p, f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func openSegmentAppend(dir string, id uint64) (*segment, error) {
	p := segmentPath(dir, id)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, errors.Join(err, f.Close())
	}
	return &segment{id: id, path: p, f: f, w: bufio.NewWriterSize(f, 64<<10), size: st.Size()}, nil
}

func (s *segment) append(payload []byte) (int64, error) {
	if len(payload) > maxRecordSize {
		return 0, fmt.Errorf("wal: record of %d bytes exceeds limit", len(payload))
	}
	var hdr [recordOverhead]byte
	binary.BigEndian.PutUint32(hdr[0:4], uint32(len(payload)))
	binary.BigEndian.PutUint32(hdr[4:8], crc32.Checksum(payload, castagnoli))
	if _, err := s.w.Write(hdr[:]); err != nil {
		return 0, err
	}
	if _, err := s.w.Write(payload); err != nil {
		return 0, err
	}
	off := s.size
	s.size += int64(recordOverhead + len(payload))
	return off, nil
}

func (s *segment) sync() error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	return s.f.Sync()
}

// syncInto syncs the segment and stores the error in *errp unless it
// already holds one.
func (s *segment) syncInto(errp *error) {
	if err := s.sync(); err != nil && *errp == nil {
		*errp = err
	}
}

func (s *segment) close() error {
	return errors.Join(s.sync(), s.f.Close())
}

// readRecord reads one framed record. io.EOF is returned only at a record
// boundary; a torn tail yields io.ErrUnexpectedEOF.
func readRecord(r *bufio.Reader) ([]byte, error) {
	var hdr [recordOverhead]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[0:4])
	if n > maxRecordSize {
		return nil, fmt.Errorf("%w: length %d", ErrCorrupt, n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if crc32.Checksum(payload, castagnoli) != binary.BigEndian.Uint32(hdr[4:8]) {
		return nil, ErrCorrupt
	}
	return payload, nil
}

// syncDir makes directory entries (creates, renames, removes) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close() // ok: read-only directory handle
	return d.Sync()
}
