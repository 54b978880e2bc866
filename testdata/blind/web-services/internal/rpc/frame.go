// Package rpc is a small request/response protocol over net.Conn with
// length-prefixed frames; many calls share one connection.
package rpc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Frame types.
const (
	TypeRequest  byte = 1
	TypeResponse byte = 2
	TypeError    byte = 3
	TypeNotify   byte = 4
	TypePing     byte = 5
	TypeGoodbye  byte = 6
)

// MaxFrame bounds the payload size.
const MaxFrame = 8 << 20

const headerLen = 4 + 1 + 8

// Frame is one message on the wire: length, type, call id, payload.
// A request payload is "method\x00body".
type Frame struct {
	Type    byte
	ID      uint64
	Payload []byte
}

// ErrFrameTooLarge is returned for frames above MaxFrame.
var ErrFrameTooLarge = errors.New("rpc: frame too large")

// WriteFrame encodes f to w in one Write call.
func WriteFrame(w io.Writer, f Frame) error {
	if len(f.Payload) > MaxFrame {
		return ErrFrameTooLarge
	}
	buf := make([]byte, headerLen+len(f.Payload))
	binary.BigEndian.PutUint32(buf[0:4], uint32(1+8+len(f.Payload)))
	buf[4] = f.Type
	binary.BigEndian.PutUint64(buf[5:13], f.ID)
	copy(buf[headerLen:], f.Payload)
	_, err := w.Write(buf)
	return err
}

// ReadFrame decodes one frame from r.
func ReadFrame(r io.Reader) (Frame, error) {
	var hdr [headerLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	n := binary.BigEndian.Uint32(hdr[0:4])
	if n < 9 {
		return Frame{}, fmt.Errorf("rpc: short frame length %d", n)
	}
	if n-9 > MaxFrame {
		return Frame{}, ErrFrameTooLarge
	}
	f := Frame{Type: hdr[4], ID: binary.BigEndian.Uint64(hdr[5:13]), Payload: make([]byte, n-9)}
	if _, err := io.ReadFull(r, f.Payload); err != nil {
		return Frame{}, err
	}
	return f, nil
}

// splitRequest separates method and body in a request payload.
func splitRequest(p []byte) (method string, body []byte, err error) {
	for i, b := range p {
		if b == 0 {
			return string(p[:i]), p[i+1:], nil
		}
	}
	return "", nil, errors.New("rpc: malformed request")
}

func joinRequest(method string, body []byte) []byte {
	out := make([]byte, 0, len(method)+1+len(body))
	out = append(out, method...)
	out = append(out, 0)
	return append(out, body...)
}
