// Package protocol implements the binary framing spoken between game clients
// and the server: a fixed 9-byte header (kind, sequence, payload length)
// followed by a JSON or raw payload.
package protocol

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Kind identifies the type of a frame.
type Kind uint8

// Frame kinds understood by the server.
const (
	KindHello Kind = iota + 1
	KindInput
	KindState
	KindChat
	KindPing
	KindPong
	KindBye
)

// HeaderSize is the size of the frame header on the wire.
const HeaderSize = 9

// MaxPayload bounds the payload a peer may send in a single frame.
const MaxPayload = 64 << 10

// Errors returned by the frame codec.
var (
	ErrTooLarge    = errors.New("protocol: frame too large")
	ErrUnknownKind = errors.New("protocol: unknown frame kind")
)

var kindNames = map[Kind]string{
	KindHello: "hello",
	KindInput: "input",
	KindState: "state",
	KindChat:  "chat",
	KindPing:  "ping",
	KindPong:  "pong",
	KindBye:   "bye",
}

func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Valid reports whether k is a kind this server understands.
func (k Kind) Valid() bool {
	_, ok := kindNames[k]
	return ok
}

// Frame is one protocol message.
type Frame struct {
	Kind    Kind
	Seq     uint32
	Payload []byte
}

// Size is the number of bytes f occupies on the wire.
func (f Frame) Size() int { return HeaderSize + len(f.Payload) }

// MarshalBinary encodes f into a freshly allocated buffer.
func (f Frame) MarshalBinary() ([]byte, error) {
	if len(f.Payload) > MaxPayload {
		return nil, ErrTooLarge
	}
	buf := make([]byte, HeaderSize+len(f.Payload))
	buf[0] = byte(f.Kind)
	binary.BigEndian.PutUint32(buf[1:5], f.Seq)
	binary.BigEndian.PutUint32(buf[5:9], uint32(len(f.Payload)))
	copy(buf[HeaderSize:], f.Payload)
	return buf, nil
}

// WriteFrame writes f to w with a single Write call.
func WriteFrame(w io.Writer, f Frame) error {
	buf, err := f.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = w.Write(buf)
	return err
}

// ReadFrame reads exactly one frame from r.
func ReadFrame(r io.Reader) (Frame, error) {
	var hdr [HeaderSize]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	f := Frame{Kind: Kind(hdr[0]), Seq: binary.BigEndian.Uint32(hdr[1:5])}
	n := binary.BigEndian.Uint32(hdr[5:9])
	if n > MaxPayload {
		return Frame{}, fmt.Errorf("%w: %d bytes", ErrTooLarge, n)
	}
	if !f.Kind.Valid() {
		return Frame{}, fmt.Errorf("%w: %d", ErrUnknownKind, hdr[0])
	}
	f.Payload = make([]byte, n)
	if _, err := io.ReadFull(r, f.Payload); err != nil {
		return Frame{}, fmt.Errorf("protocol: short payload: %w", err)
	}
	return f, nil
}

// EncodeJSON builds a frame whose payload is the JSON encoding of v.
func EncodeJSON(kind Kind, seq uint32, v any) (Frame, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Frame{}, fmt.Errorf("protocol: encode %s: %w", kind, err)
	}
	if len(b) > MaxPayload {
		return Frame{}, ErrTooLarge
	}
	return Frame{Kind: kind, Seq: seq, Payload: b}, nil
}

// DecodeJSON unmarshals the payload of f into v.
func DecodeJSON(f Frame, v any) error {
	if err := json.Unmarshal(f.Payload, v); err != nil {
		return fmt.Errorf("protocol: decode %s #%d: %w", f.Kind, f.Seq, err)
	}
	return nil
}
