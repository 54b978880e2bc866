// Package wal implements the write-ahead log: framed, checksummed records in
// fixed-name segment files, with replay, archiving and tailing.
package wal

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Record is one logged mutation.
type Record struct {
	Rev    int64  `json:"rev"`
	Key    string `json:"key"`
	Value  []byte `json:"value,omitempty"`
	Delete bool   `json:"delete,omitempty"`
}

// ErrCorrupt is wrapped by every decoding failure that is not a clean EOF.
var ErrCorrupt = errors.New("wal: corrupt record")

const maxRecordSize = 16 << 20

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Encode writes r framed as: uint32 length | uint32 crc32c | JSON payload.
func Encode(w io.Writer, r Record) error {
	payload, err := json.Marshal(r)
	if err != nil {
		return err
	}
	var hdr [8]byte
	binary.LittleEndian.PutUint32(hdr[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(hdr[4:8], crc32.Checksum(payload, crcTable))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err = w.Write(payload)
	return err
}

// Decode reads one framed record. It returns io.EOF at a clean end of stream.
func Decode(br *bufio.Reader) (Record, error) {
	var hdr [8]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Record{}, fmt.Errorf("%w: torn header", ErrCorrupt)
		}
		return Record{}, err
	}
	n := binary.LittleEndian.Uint32(hdr[0:4])
	if n > maxRecordSize {
		return Record{}, fmt.Errorf("%w: length %d exceeds limit", ErrCorrupt, n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(br, payload); err != nil {
		return Record{}, fmt.Errorf("%w: torn payload: %v", ErrCorrupt, err)
	}
	if crc32.Checksum(payload, crcTable) != binary.LittleEndian.Uint32(hdr[4:8]) {
		return Record{}, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	var r Record
	if err := json.Unmarshal(payload, &r); err != nil {
		return Record{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return r, nil
}
