// Package journal is the append-only, checksummed log of every accepted
// order and trade. Records are grouped into segment files named after the
// sequence number of their first record.
package journal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

const (
	headerSize   = 16 // payload length u32, crc32c u32, sequence u64
	maxPayload   = 1 << 20
	segmentExt   = ".wal"
	segmentWidth = 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Journal errors.
var (
	ErrChecksum  = errors.New("journal: checksum mismatch")
	ErrTooLarge  = errors.New("journal: record too large")
	ErrNotFound  = errors.New("journal: sequence not found")
	ErrTruncated = errors.New("journal: truncated record")
)

// Record is one journal entry.
type Record struct {
	Seq     uint64
	Payload []byte
}

// appendRecord encodes r onto dst.
func appendRecord(dst []byte, r Record) []byte {
	var hdr [headerSize]byte
	binary.LittleEndian.PutUint32(hdr[0:4], uint32(len(r.Payload)))
	binary.LittleEndian.PutUint32(hdr[4:8], crc32.Checksum(r.Payload, crcTable))
	binary.LittleEndian.PutUint64(hdr[8:16], r.Seq)
	dst = append(dst, hdr[:]...)
	return append(dst, r.Payload...)
}

// decodeRecord reads one record from r and verifies its checksum.
func decodeRecord(r io.Reader) (Record, error) {
	var hdr [headerSize]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Record{}, ErrTruncated
		}
		return Record{}, err
	}
	n := binary.LittleEndian.Uint32(hdr[0:4])
	if n > maxPayload {
		return Record{}, fmt.Errorf("%w: %d bytes", ErrTooLarge, n)
	}
	rec := Record{Seq: binary.LittleEndian.Uint64(hdr[8:16]), Payload: make([]byte, n)}
	if _, err := io.ReadFull(r, rec.Payload); err != nil {
		return Record{}, ErrTruncated
	}
	if crc32.Checksum(rec.Payload, crcTable) != binary.LittleEndian.Uint32(hdr[4:8]) {
		return Record{}, fmt.Errorf("%w at seq %d", ErrChecksum, rec.Seq)
	}
	return rec, nil
}

func segmentName(first uint64) string {
	return fmt.Sprintf("%0*d%s", segmentWidth, first, segmentExt)
}

func parseSegmentName(name string) (uint64, bool) {
	base, ok := strings.CutSuffix(name, segmentExt)
	if !ok || len(base) != segmentWidth {
		return 0, false
	}
	n, err := strconv.ParseUint(base, 10, 64)
	return n, err == nil
}

// listSegments returns the segment file names of dir in sequence order.
func listSegments(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if _, ok := parseSegmentName(e.Name()); ok && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}
