package wal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// RecordType says what a log record does to the lease table.
type RecordType uint8

// Record types.
const (
	TypeGrant RecordType = iota + 1
	TypeKeepAlive
	TypeRevoke
	TypeAcquire
	TypeRelease
)

func (t RecordType) String() string {
	switch t {
	case TypeGrant:
		return "grant"
	case TypeKeepAlive:
		return "keepalive"
	case TypeRevoke:
		return "revoke"
	case TypeAcquire:
		return "acquire"
	case TypeRelease:
		return "release"
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// Record is one entry of the log.
type Record struct {
	Index     uint64
	Type      RecordType
	Lease     int64
	TTLMillis int64
	Key       string
}

// ErrCorrupt is returned when a record fails its length or CRC check.
var ErrCorrupt = errors.New("wal: corrupt record")

const (
	headerSize    = 8  // length + crc32
	fixedPayload  = 27 // index + type + lease + ttl + key length
	maxRecordSize = 1 << 20
)

// encodeRecord writes r framed as: len(4) crc(4) payload.
func encodeRecord(w io.Writer, r Record) error {
	if len(r.Key) > 0xffff {
		return fmt.Errorf("wal: key of %d bytes is too long", len(r.Key))
	}
	payload := make([]byte, 0, fixedPayload+len(r.Key))
	payload = binary.BigEndian.AppendUint64(payload, r.Index)
	payload = append(payload, byte(r.Type))
	payload = binary.BigEndian.AppendUint64(payload, uint64(r.Lease))
	payload = binary.BigEndian.AppendUint64(payload, uint64(r.TTLMillis))
	payload = binary.BigEndian.AppendUint16(payload, uint16(len(r.Key)))
	payload = append(payload, r.Key...)

	var hdr [headerSize]byte
	binary.BigEndian.PutUint32(hdr[0:4], uint32(len(payload)))
	binary.BigEndian.PutUint32(hdr[4:8], crc32.ChecksumIEEE(payload))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// decodeRecord reads one framed record. It returns io.EOF at a clean end of
// input and ErrCorrupt (wrapped) for a torn or damaged record.
func decodeRecord(r io.Reader) (Record, error) {
	var hdr [headerSize]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return Record{}, fmt.Errorf("%w: torn header", ErrCorrupt)
		}
		return Record{}, err
	}
	n := binary.BigEndian.Uint32(hdr[0:4])
	if n < fixedPayload || n > maxRecordSize {
		return Record{}, fmt.Errorf("%w: length %d", ErrCorrupt, n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return Record{}, fmt.Errorf("%w: short payload: %v", ErrCorrupt, err)
	}
	if crc32.ChecksumIEEE(payload) != binary.BigEndian.Uint32(hdr[4:8]) {
		return Record{}, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	rec := Record{
		Index:     binary.BigEndian.Uint64(payload[0:8]),
		Type:      RecordType(payload[8]),
		Lease:     int64(binary.BigEndian.Uint64(payload[9:17])),
		TTLMillis: int64(binary.BigEndian.Uint64(payload[17:25])),
	}
	kl := int(binary.BigEndian.Uint16(payload[25:27]))
	if fixedPayload+kl != len(payload) {
		return Record{}, fmt.Errorf("%w: key length %d", ErrCorrupt, kl)
	}
	rec.Key = string(payload[fixedPayload:])
	return rec, nil
}
