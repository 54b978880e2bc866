// Package wal implements kvd's write-ahead log: append-only segment files
// holding length-prefixed, CRC-checked records.
package wal

import (
	"bufio"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
)

// ErrCorrupt is returned for a record whose checksum or lengths are invalid.
var ErrCorrupt = errors.New("wal: corrupt record")

const (
	headerSize = 20
	maxKey     = 1 << 16
	maxValue   = 1 << 26
)

// Record is one logged write.
type Record struct {
	Seq   uint64
	Key   string
	Value []byte
}

// encodeRecord writes r as: crc32 | seq | len(key) | len(value) | key | value.
func encodeRecord(w io.Writer, r Record) (int, error) {
	var hdr [headerSize]byte
	binary.LittleEndian.PutUint64(hdr[4:12], r.Seq)
	binary.LittleEndian.PutUint32(hdr[12:16], uint32(len(r.Key)))
	binary.LittleEndian.PutUint32(hdr[16:20], uint32(len(r.Value)))

	crc := crc32.NewIEEE()
	crc.Write(hdr[4:])
	crc.Write([]byte(r.Key))
	crc.Write(r.Value)
	binary.LittleEndian.PutUint32(hdr[0:4], crc.Sum32())

	n := 0
	for _, b := range [][]byte{hdr[:], []byte(r.Key), r.Value} {
		m, err := w.Write(b)
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// decodeRecord reads one record. It returns io.EOF at a clean record
// boundary and io.ErrUnexpectedEOF for a torn tail.
func decodeRecord(br *bufio.Reader) (Record, error) {
	var hdr [headerSize]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return Record{}, err
	}
	klen := binary.LittleEndian.Uint32(hdr[12:16])
	vlen := binary.LittleEndian.Uint32(hdr[16:20])
	if klen > maxKey || vlen > maxValue {
		return Record{}, ErrCorrupt
	}
	buf := make([]byte, int(klen)+int(vlen))
	if _, err := io.ReadFull(br, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Record{}, err
	}
	crc := crc32.NewIEEE()
	crc.Write(hdr[4:])
	crc.Write(buf)
	if crc.Sum32() != binary.LittleEndian.Uint32(hdr[0:4]) {
		return Record{}, ErrCorrupt
	}
	return Record{
		Seq:   binary.LittleEndian.Uint64(hdr[4:12]),
		Key:   string(buf[:klen]),
		Value: buf[klen:],
	}, nil
}
