package kv

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

const (
	opPut byte = 1
	opDel byte = 2
)

var errCorrupt = errors.New("kv: corrupt record")

// writeRecord encodes one operation as: op, uvarint(len key), key,
// uvarint(len value), value.
func writeRecord(w io.Writer, op byte, key string, value []byte) error {
	var hdr [1 + 2*binary.MaxVarintLen64]byte
	hdr[0] = op
	n := 1
	n += binary.PutUvarint(hdr[n:], uint64(len(key)))
	if _, err := w.Write(hdr[:n]); err != nil {
		return err
	}
	if _, err := io.WriteString(w, key); err != nil {
		return err
	}
	n = binary.PutUvarint(hdr[:], uint64(len(value)))
	if _, err := w.Write(hdr[:n]); err != nil {
		return err
	}
	_, err := w.Write(value)
	return err
}

// readRecord decodes one operation. It returns io.EOF only at a clean
// record boundary.
func readRecord(r *bufio.Reader) (op byte, key string, value []byte, err error) {
	op, err = r.ReadByte()
	if err != nil {
		return 0, "", nil, err
	}
	if op != opPut && op != opDel {
		return 0, "", nil, fmt.Errorf("%w: op %d", errCorrupt, op)
	}
	klen, err := binary.ReadUvarint(r)
	if err != nil {
		return 0, "", nil, unexpected(err)
	}
	kb := make([]byte, klen)
	if _, err := io.ReadFull(r, kb); err != nil {
		return 0, "", nil, unexpected(err)
	}
	vlen, err := binary.ReadUvarint(r)
	if err != nil {
		return 0, "", nil, unexpected(err)
	}
	value = make([]byte, vlen)
	if _, err := io.ReadFull(r, value); err != nil {
		return 0, "", nil, unexpected(err)
	}
	return op, string(kb), value, nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
