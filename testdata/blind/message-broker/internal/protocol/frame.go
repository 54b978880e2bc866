// Package protocol implements the broker's length-prefixed binary wire
// format: a 9-byte header (length, type, correlation id) and a payload.
package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Type identifies the kind of frame.
type Type uint8

// Frame types.
const (
	TypeProduce Type = iota + 1
	TypeProduceAck
	TypeFetch
	TypeFetchResp
	TypeSubscribe
	TypeAssignment
	TypeDeliver
	TypeAck
	TypeNack
	TypeCommit
	TypeHeartbeat
	TypeError
	TypeClose
	TypeCloseAck
	TypeMetadata
	TypeMetadataResp
)

var typeNames = map[Type]string{
	TypeProduce:      "produce",
	TypeProduceAck:   "produce-ack",
	TypeFetch:        "fetch",
	TypeFetchResp:    "fetch-resp",
	TypeSubscribe:    "subscribe",
	TypeAssignment:   "assignment",
	TypeDeliver:      "deliver",
	TypeAck:          "ack",
	TypeNack:         "nack",
	TypeCommit:       "commit",
	TypeHeartbeat:    "heartbeat",
	TypeError:        "error",
	TypeClose:        "close",
	TypeCloseAck:     "close-ack",
	TypeMetadata:     "metadata",
	TypeMetadataResp: "metadata-resp",
}

func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

const (
	headerSize = 9
	// MaxFrameSize bounds a single frame's payload.
	MaxFrameSize = 8 << 20
)

// ErrFrameTooLarge is returned for frames above MaxFrameSize.
var ErrFrameTooLarge = errors.New("protocol: frame too large")

// Frame is one protocol message.
type Frame struct {
	Type    Type
	Corr    uint32
	Payload []byte
}

// AppendTo appends the encoded frame to b.
func (f Frame) AppendTo(b []byte) []byte {
	var hdr [headerSize]byte
	binary.BigEndian.PutUint32(hdr[0:4], uint32(len(f.Payload)))
	hdr[4] = byte(f.Type)
	binary.BigEndian.PutUint32(hdr[5:9], f.Corr)
	b = append(b, hdr[:]...)
	return append(b, f.Payload...)
}

// Encode returns the wire form of f.
func Encode(f Frame) []byte {
	return f.AppendTo(make([]byte, 0, headerSize+len(f.Payload)))
}

// WriteFrame writes f to w in one call.
func WriteFrame(w io.Writer, f Frame) error {
	if len(f.Payload) > MaxFrameSize {
		return ErrFrameTooLarge
	}
	_, err := w.Write(Encode(f))
	return err
}

// ReadFrame reads exactly one frame from r.
func ReadFrame(r io.Reader) (Frame, error) {
	var hdr [headerSize]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	n := binary.BigEndian.Uint32(hdr[0:4])
	if n > MaxFrameSize {
		return Frame{}, ErrFrameTooLarge
	}
	f := Frame{Type: Type(hdr[4]), Corr: binary.BigEndian.Uint32(hdr[5:9])}
	if n > 0 {
		f.Payload = make([]byte, n)
		if _, err := io.ReadFull(r, f.Payload); err != nil {
			return Frame{}, fmt.Errorf("protocol: short payload: %w", err)
		}
	}
	return f, nil
}

// ErrorFrame builds an error reply for corr.
func ErrorFrame(corr uint32, code uint16, msg string) Frame {
	return Frame{Type: TypeError, Corr: corr, Payload: ErrorPayload{Code: code, Message: msg}.Marshal()}
}
