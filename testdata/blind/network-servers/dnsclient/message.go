// Package dnsclient is a small request/response client for a DNS-like UDP
// protocol: one socket, a pending-request map keyed by message id, a reader
// goroutine that routes responses, retries across servers and a TCP
// fallback for truncated answers.
package dnsclient

import (
	"encoding/binary"
	"errors"
)

// Query types.
const (
	TypeA   uint16 = 1
	TypeNS  uint16 = 2
	TypeTXT uint16 = 16
)

const (
	flagResponse  = 1 << 15
	flagTruncated = 1 << 9
)

var errMalformed = errors.New("dnsclient: malformed message")

// Message is a query or a response.
type Message struct {
	ID        uint16
	Response  bool
	Truncated bool
	Rcode     uint8
	Name      string
	Type      uint16
	TTL       uint32
	Answers   []string
}

// Encode serialises m.
func (m *Message) Encode() []byte {
	b := make([]byte, 0, 16+len(m.Name))
	var flags uint16
	if m.Response {
		flags |= flagResponse
	}
	if m.Truncated {
		flags |= flagTruncated
	}
	flags |= uint16(m.Rcode & 0x0f)
	b = binary.BigEndian.AppendUint16(b, m.ID)
	b = binary.BigEndian.AppendUint16(b, flags)
	b = binary.BigEndian.AppendUint16(b, m.Type)
	b = binary.BigEndian.AppendUint32(b, m.TTL)
	b = appendString(b, m.Name)
	b = binary.BigEndian.AppendUint16(b, uint16(len(m.Answers)))
	for _, a := range m.Answers {
		b = appendString(b, a)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = append(b, byte(len(s)))
	return append(b, s[:min(len(s), 255)]...)
}

func readString(b []byte) (string, []byte, error) {
	if len(b) < 1 || len(b) < 1+int(b[0]) {
		return "", nil, errMalformed
	}
	n := int(b[0])
	return string(b[1 : 1+n]), b[1+n:], nil
}

// Decode parses a message.
func Decode(b []byte) (*Message, error) {
	if len(b) < 10 {
		return nil, errMalformed
	}
	flags := binary.BigEndian.Uint16(b[2:4])
	m := &Message{
		ID:        binary.BigEndian.Uint16(b[0:2]),
		Response:  flags&flagResponse != 0,
		Truncated: flags&flagTruncated != 0,
		Rcode:     uint8(flags & 0x0f),
		Type:      binary.BigEndian.Uint16(b[4:6]),
		TTL:       binary.BigEndian.Uint32(b[6:10]),
	}
	rest := b[10:]
	var err error
	if m.Name, rest, err = readString(rest); err != nil {
		return nil, err
	}
	if len(rest) < 2 {
		return nil, errMalformed
	}
	n := int(binary.BigEndian.Uint16(rest))
	rest = rest[2:]
	for i := 0; i < n; i++ {
		var a string
		if a, rest, err = readString(rest); err != nil {
			return nil, err
		}
		m.Answers = append(m.Answers, a)
	}
	return m, nil
}
