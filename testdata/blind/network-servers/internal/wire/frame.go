// Package wire holds the frame format shared by the stream multiplexer and
// its tools.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Version is the only protocol version spoken.
const Version = 1

// HeaderSize is the fixed size of a frame header on the wire.
const HeaderSize = 12

// MaxPayload bounds a single frame body.
const MaxPayload = 1 << 20

// Type identifies a frame.
type Type uint8

const (
	TypeData Type = iota
	TypeWindowUpdate
	TypePing
	TypeGoAway
)

func (t Type) String() string {
	switch t {
	case TypeData:
		return "DATA"
	case TypeWindowUpdate:
		return "WINDOW_UPDATE"
	case TypePing:
		return "PING"
	case TypeGoAway:
		return "GO_AWAY"
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// Flags carried in a header.
const (
	FlagSYN uint16 = 1 << iota
	FlagACK
	FlagFIN
	FlagRST
)

// Header is a decoded frame header.
type Header struct {
	Version  uint8
	Type     Type
	Flags    uint16
	StreamID uint32
	Length   uint32
}

var (
	ErrBadVersion = errors.New("wire: unsupported protocol version")
	ErrTooLarge   = errors.New("wire: frame exceeds maximum payload")
)

// Encode writes h into b, which must be at least HeaderSize bytes.
func (h Header) Encode(b []byte) {
	b[0] = h.Version
	b[1] = byte(h.Type)
	binary.BigEndian.PutUint16(b[2:4], h.Flags)
	binary.BigEndian.PutUint32(b[4:8], h.StreamID)
	binary.BigEndian.PutUint32(b[8:12], h.Length)
}

// Decode parses a header from b.
func Decode(b []byte) (Header, error) {
	if len(b) < HeaderSize {
		return Header{}, io.ErrUnexpectedEOF
	}
	h := Header{
		Version:  b[0],
		Type:     Type(b[1]),
		Flags:    binary.BigEndian.Uint16(b[2:4]),
		StreamID: binary.BigEndian.Uint32(b[4:8]),
		Length:   binary.BigEndian.Uint32(b[8:12]),
	}
	if h.Version != Version {
		return h, ErrBadVersion
	}
	if h.Type == TypeData && h.Length > MaxPayload {
		return h, ErrTooLarge
	}
	return h, nil
}

// ReadFrame reads one header and, for data frames, its body. The body slice
// is taken from buf when it is large enough.
func ReadFrame(r io.Reader, hdrBuf, buf []byte) (Header, []byte, error) {
	if _, err := io.ReadFull(r, hdrBuf[:HeaderSize]); err != nil {
		return Header{}, nil, err
	}
	h, err := Decode(hdrBuf)
	if err != nil {
		return h, nil, err
	}
	if h.Type != TypeData || h.Length == 0 {
		return h, nil, nil
	}
	body := buf
	if uint32(cap(body)) < h.Length {
		body = make([]byte, h.Length)
	}
	body = body[:h.Length]
	if _, err := io.ReadFull(r, body); err != nil {
		return h, nil, err
	}
	return h, body, nil
}

// AppendFrame appends an encoded frame to dst.
func AppendFrame(dst []byte, h Header, body []byte) []byte {
	var hb [HeaderSize]byte
	h.Version = Version
	if h.Type == TypeData {
		h.Length = uint32(len(body))
	}
	h.Encode(hb[:])
	dst = append(dst, hb[:]...)
	return append(dst, body...)
}
