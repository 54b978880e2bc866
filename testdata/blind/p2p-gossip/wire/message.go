// Package wire defines the gossip protocol messages and their framing on
// stream transports.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Kind identifies the type of a gossip message.
type Kind uint8

// Message kinds.
const (
	KindPing Kind = iota + 1
	KindAck
	KindSuspect
	KindAlive
	KindDead
	KindUser
	KindPushPull
)

// String returns a short name for the kind.
func (k Kind) String() string {
	switch k {
	case KindPing:
		return "ping"
	case KindAck:
		return "ack"
	case KindSuspect:
		return "suspect"
	case KindAlive:
		return "alive"
	case KindDead:
		return "dead"
	case KindUser:
		return "user"
	case KindPushPull:
		return "push-pull"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// MaxFrame bounds the size of a single framed message.
const MaxFrame = 1 << 20

// Errors returned by the codec.
var (
	ErrFrameTooLarge = errors.New("wire: frame too large")
	ErrShortMessage  = errors.New("wire: short message")
)

// Message is a single gossip message.
type Message struct {
	Kind        Kind
	Seq         uint64
	Incarnation uint64
	From        string
	Target      string
	Payload     []byte
}

const headerLen = 1 + 8 + 8 + 2 + 2 + 4

// MarshalBinary encodes m into its datagram form.
func (m *Message) MarshalBinary() ([]byte, error) {
	if len(m.From) > 0xffff || len(m.Target) > 0xffff {
		return nil, errors.New("wire: address too long")
	}
	size := headerLen + len(m.From) + len(m.Target) + len(m.Payload)
	if size > MaxFrame {
		return nil, ErrFrameTooLarge
	}
	b := make([]byte, 0, size)
	b = append(b, byte(m.Kind))
	b = binary.BigEndian.AppendUint64(b, m.Seq)
	b = binary.BigEndian.AppendUint64(b, m.Incarnation)
	b = binary.BigEndian.AppendUint16(b, uint16(len(m.From)))
	b = binary.BigEndian.AppendUint16(b, uint16(len(m.Target)))
	b = binary.BigEndian.AppendUint32(b, uint32(len(m.Payload)))
	b = append(b, m.From...)
	b = append(b, m.Target...)
	b = append(b, m.Payload...)
	return b, nil
}

// UnmarshalBinary decodes a datagram produced by MarshalBinary.
func (m *Message) UnmarshalBinary(b []byte) error {
	if len(b) < headerLen {
		return ErrShortMessage
	}
	m.Kind = Kind(b[0])
	m.Seq = binary.BigEndian.Uint64(b[1:9])
	m.Incarnation = binary.BigEndian.Uint64(b[9:17])
	fl := int(binary.BigEndian.Uint16(b[17:19]))
	tl := int(binary.BigEndian.Uint16(b[19:21]))
	pl := int(binary.BigEndian.Uint32(b[21:25]))
	rest := b[headerLen:]
	if len(rest) != fl+tl+pl {
		return fmt.Errorf("wire: body is %d bytes, header says %d", len(rest), fl+tl+pl)
	}
	m.From = string(rest[:fl])
	m.Target = string(rest[fl : fl+tl])
	m.Payload = append([]byte(nil), rest[fl+tl:]...)
	return nil
}

// WriteFrame writes m to w prefixed with its length.
func WriteFrame(w io.Writer, m *Message) error {
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(b)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// ReadFrame reads one length-prefixed message from r.
func ReadFrame(r io.Reader) (*Message, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > MaxFrame {
		return nil, ErrFrameTooLarge
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("wire: reading frame body: %w", err)
	}
	m := new(Message)
	if err := m.UnmarshalBinary(buf); err != nil {
		return nil, err
	}
	return m, nil
}
