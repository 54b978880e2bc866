// Package serial drives sensors attached over serial lines. On the device the
// ports are character devices; in development they are plain files or FIFOs.
package serial

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Frame layout on the wire: 0x7E, cmd, len, payload..., xor checksum over cmd..payload.
const frameStart = 0x7E

// Command codes understood by the sensor firmware. Replies echo the code with the
// high bit set.
const (
	CmdIdentify  byte = 0x01
	CmdRead      byte = 0x02
	CmdCalibrate byte = 0x03
	CmdSetRate   byte = 0x04
	CmdHeater    byte = 0x05
)

// ErrChecksum is returned when a frame's checksum does not match its contents.
var ErrChecksum = errors.New("serial: bad frame checksum")

// Frame is one command or reply exchanged with a sensor.
type Frame struct {
	Cmd     byte
	Payload []byte
}

// Encode returns the wire form of f.
func (f Frame) Encode() []byte {
	b := make([]byte, 0, len(f.Payload)+4)
	b = append(b, frameStart, f.Cmd, byte(len(f.Payload)))
	b = append(b, f.Payload...)
	return append(b, checksum(b[1:]))
}

// String describes the frame for logs.
func (f Frame) String() string {
	return fmt.Sprintf("frame{cmd=%#02x len=%d}", f.Cmd, len(f.Payload))
}

// IsReplyTo reports whether f answers the request req.
func (f Frame) IsReplyTo(req Frame) bool {
	return f.Cmd == req.Cmd|0x80
}

// Uint16 decodes a big-endian 16-bit payload.
func (f Frame) Uint16() (uint16, error) {
	if len(f.Payload) < 2 {
		return 0, fmt.Errorf("serial: %v: payload too short for uint16", f)
	}
	return binary.BigEndian.Uint16(f.Payload), nil
}

func checksum(b []byte) byte {
	var s byte
	for _, c := range b {
		s ^= c
	}
	return s
}

// DecodeFrame reads the next frame from r, skipping line noise before the start byte.
func DecodeFrame(r *bufio.Reader) (Frame, error) {
	for {
		c, err := r.ReadByte()
		if err != nil {
			return Frame{}, err
		}
		if c == frameStart {
			break
		}
	}
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	rest := make([]byte, int(hdr[1])+1)
	if _, err := io.ReadFull(r, rest); err != nil {
		return Frame{}, err
	}
	payload, sum := rest[:len(rest)-1], rest[len(rest)-1]
	if checksum(append(hdr[:], payload...)) != sum {
		return Frame{}, ErrChecksum
	}
	return Frame{Cmd: hdr[0], Payload: payload}, nil
}
