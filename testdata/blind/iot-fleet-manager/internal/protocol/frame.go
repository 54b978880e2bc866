// Package protocol implements the fleet wire protocol: checksummed,
// length-prefixed binary frames exchanged between devices and fleetd.
package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// FrameType identifies the kind of a frame.
type FrameType uint8

// Frame types understood by fleetd and the device firmware.
const (
	TypeHello FrameType = iota + 1
	TypeWelcome
	TypeTelemetry
	TypeCommand
	TypeAck
	TypePing
	TypePong
	TypeDisconnect
)

// Disconnect reasons carried in the payload of a TypeDisconnect frame.
const (
	ReasonShutdown  byte = 1
	ReasonKicked    byte = 2
	ReasonReconnect byte = 3
	ReasonStalled   byte = 4
	ReasonReplaced  byte = 5
)

// MaxPayload bounds the payload of a single frame.
const MaxPayload = 1 << 20

// headerLen is magic(2) + type(1) + seq(4) + length(4).
const headerLen = 11

var magic = [2]byte{0xF1, 0xEE}

// Errors returned by ReadFrame and WriteFrame.
var (
	ErrBadMagic    = errors.New("protocol: bad frame magic")
	ErrTooLarge    = errors.New("protocol: payload too large")
	ErrBadChecksum = errors.New("protocol: checksum mismatch")
)

// Frame is one protocol message.
type Frame struct {
	Type    FrameType
	Seq     uint32
	Payload []byte
}

func (t FrameType) String() string {
	switch t {
	case TypeHello:
		return "hello"
	case TypeWelcome:
		return "welcome"
	case TypeTelemetry:
		return "telemetry"
	case TypeCommand:
		return "command"
	case TypeAck:
		return "ack"
	case TypePing:
		return "ping"
	case TypePong:
		return "pong"
	case TypeDisconnect:
		return "disconnect"
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// Encode returns the wire encoding of f.
func Encode(f Frame) []byte {
	n := len(f.Payload)
	buf := make([]byte, headerLen+n+2)
	buf[0], buf[1] = magic[0], magic[1]
	buf[2] = byte(f.Type)
	binary.BigEndian.PutUint32(buf[3:7], f.Seq)
	binary.BigEndian.PutUint32(buf[7:11], uint32(n))
	copy(buf[headerLen:], f.Payload)
	binary.BigEndian.PutUint16(buf[headerLen+n:], checksum(buf[2:headerLen], f.Payload))
	return buf
}

// WriteFrame writes f to w with a single Write call, so that frames written
// by concurrent callers holding a lock around w never interleave.
func WriteFrame(w io.Writer, f Frame) error {
	if len(f.Payload) > MaxPayload {
		return ErrTooLarge
	}
	_, err := w.Write(Encode(f))
	return err
}

// ReadFrame reads one frame from r and verifies its checksum.
func ReadFrame(r io.Reader) (Frame, error) {
	var hdr [headerLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	if hdr[0] != magic[0] || hdr[1] != magic[1] {
		return Frame{}, ErrBadMagic
	}
	n := binary.BigEndian.Uint32(hdr[7:11])
	if n > MaxPayload {
		return Frame{}, ErrTooLarge
	}
	body := make([]byte, n+2)
	if _, err := io.ReadFull(r, body); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return Frame{}, err
	}
	payload := body[:n:n]
	if checksum(hdr[2:], payload) != binary.BigEndian.Uint16(body[n:]) {
		return Frame{}, ErrBadChecksum
	}
	return Frame{
		Type:    FrameType(hdr[2]),
		Seq:     binary.BigEndian.Uint32(hdr[3:7]),
		Payload: payload,
	}, nil
}

// checksum computes CRC-16/CCITT-FALSE over the concatenation of chunks.
func checksum(chunks ...[]byte) uint16 {
	crc := uint16(0xFFFF)
	for _, c := range chunks {
		for _, b := range c {
			crc ^= uint16(b) << 8
			for i := 0; i < 8; i++ {
				if crc&0x8000 != 0 {
					crc = crc<<1 ^ 0x1021
				} else {
					crc <<= 1
				}
			}
		}
	}
	return crc
}
