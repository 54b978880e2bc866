// Package serving is the online read path: a small length-prefixed binary
// protocol over TCP, in the spirit of gRPC but written by hand so that the
// feature store has no dependencies.
//
// A frame is a 9-byte header (payload length uint32, op uint8, request id
// uint32, all big-endian) followed by the payload.
package serving

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Operations.
const (
	OpGet uint8 = iota + 1
	OpPut
	OpPing
	OpInvalidate     // from a client: drop keys here and tell the peers
	OpPeerInvalidate // from a peer: drop keys here only
	OpError
	OpBye
)

const headerLen = 9

// MaxPayload bounds a frame's payload.
const MaxPayload = 1 << 20

// ErrFrameTooLarge is returned for payloads over MaxPayload.
var ErrFrameTooLarge = errors.New("serving: frame too large")

// Frame is one protocol message.
type Frame struct {
	Op      uint8
	ID      uint32
	Payload []byte
}

// WriteFrame encodes f to w.
func WriteFrame(w io.Writer, f Frame) error {
	if len(f.Payload) > MaxPayload {
		return ErrFrameTooLarge
	}
	var hdr [headerLen]byte
	binary.BigEndian.PutUint32(hdr[0:4], uint32(len(f.Payload)))
	hdr[4] = f.Op
	binary.BigEndian.PutUint32(hdr[5:9], f.ID)
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(f.Payload)
	return err
}

// ReadFrame decodes one frame from r.
func ReadFrame(r io.Reader) (Frame, error) {
	var hdr [headerLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	n := binary.BigEndian.Uint32(hdr[0:4])
	if n > MaxPayload {
		return Frame{}, ErrFrameTooLarge
	}
	f := Frame{Op: hdr[4], ID: binary.BigEndian.Uint32(hdr[5:9]), Payload: make([]byte, n)}
	if _, err := io.ReadFull(r, f.Payload); err != nil {
		return Frame{}, fmt.Errorf("serving: short payload: %w", err)
	}
	return f, nil
}

func errorFrame(id uint32, err error) Frame {
	return Frame{Op: OpError, ID: id, Payload: []byte(err.Error())}
}

// encodePut lays out a PUT payload: key length uint16, key, version int64,
// value.
func encodePut(key string, value []byte, version int64) []byte {
	buf := make([]byte, 2+len(key)+8+len(value))
	binary.BigEndian.PutUint16(buf, uint16(len(key)))
	copy(buf[2:], key)
	binary.BigEndian.PutUint64(buf[2+len(key):], uint64(version))
	copy(buf[10+len(key):], value)
	return buf
}

func decodePut(p []byte) (key string, value []byte, version int64, err error) {
	if len(p) < 2 {
		return "", nil, 0, errors.New("serving: short PUT payload")
	}
	n := int(binary.BigEndian.Uint16(p))
	if len(p) < 2+n+8 {
		return "", nil, 0, errors.New("serving: short PUT payload")
	}
	key = string(p[2 : 2+n])
	version = int64(binary.BigEndian.Uint64(p[2+n:]))
	return key, p[10+n:], version, nil
}
