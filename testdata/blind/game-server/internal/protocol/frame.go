// Package protocol implements the length-prefixed binary framing spoken
// between game clients and the server, and the JSON payloads carried inside.
package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Frame types.
const (
	TypeHello byte = iota + 1
	TypeWelcome
	TypeInput
	TypeState
	TypeChat
	TypePing
	TypePong
	TypeBye
)

// MaxPayload bounds a single frame so that a hostile client cannot make the
// server allocate arbitrary amounts of memory.
const MaxPayload = 64 << 10

const headerLen = 5

// ErrFrameTooLarge is returned for frames whose payload exceeds MaxPayload.
var ErrFrameTooLarge = errors.New("protocol: frame too large")

// Frame is one message on the wire: a type byte, a big-endian uint32 length
// and the payload.
type Frame struct {
	Type    byte
	Payload []byte
}

// TypeName returns a short human readable name for a frame type.
func TypeName(t byte) string {
	switch t {
	case TypeHello:
		return "hello"
	case TypeWelcome:
		return "welcome"
	case TypeInput:
		return "input"
	case TypeState:
		return "state"
	case TypeChat:
		return "chat"
	case TypePing:
		return "ping"
	case TypePong:
		return "pong"
	case TypeBye:
		return "bye"
	}
	return fmt.Sprintf("type%d", t)
}

// AppendFrame appends the wire encoding of f to dst.
func AppendFrame(dst []byte, f Frame) ([]byte, error) {
	if len(f.Payload) > MaxPayload {
		return dst, ErrFrameTooLarge
	}
	var hdr [headerLen]byte
	hdr[0] = f.Type
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(f.Payload)))
	dst = append(dst, hdr[:]...)
	return append(dst, f.Payload...), nil
}

// WriteFrame writes f to w with a single Write call so that concurrent
// writers on a net.Conn never interleave partial frames.
func WriteFrame(w io.Writer, f Frame) error {
	buf, err := AppendFrame(make([]byte, 0, headerLen+len(f.Payload)), f)
	if err != nil {
		return err
	}
	_, err = w.Write(buf)
	return err
}

// ReadFrame reads exactly one frame from r.
func ReadFrame(r io.Reader) (Frame, error) {
	var hdr [headerLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n > MaxPayload {
		return Frame{}, ErrFrameTooLarge
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return Frame{}, err
	}
	return Frame{Type: hdr[0], Payload: payload}, nil
}

// Frames decodes frames from r on a background goroutine. The error channel
// receives the error that ended the stream.
func Frames(r io.Reader) (<-chan Frame, <-chan error) {
	frames := make(chan Frame, 16)
	errc := make(chan error, 1)
	defer close(frames) // HAZ defer-close-chan-with-sender
	go func() {
		for {
			f, err := ReadFrame(r)
			if err != nil {
				errc <- err
				return
			}
			frames <- f
		}
	}()
	return frames, errc
}
