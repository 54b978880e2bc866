package protocol

import (
	"encoding/binary"
	"errors"
)

// Hello is the first frame a device sends after connecting.
type Hello struct {
	DeviceID string
	Token    string
	Firmware string
}

// Command is the payload of a TypeCommand frame.
type Command struct {
	ID   uint32
	Name string
	Args []byte
}

// Ack is the payload of a TypeAck frame, sent by a device for a command.
type Ack struct {
	CommandID uint32
	Status    uint8
	Message   string
}

// Ack status codes.
const (
	AckOK       uint8 = 0
	AckFailed   uint8 = 1
	AckRejected uint8 = 2
)

var errShort = errors.New("protocol: payload too short")

func appendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
	return append(b, s...)
}

func readString(b []byte) (string, []byte, error) {
	if len(b) < 2 {
		return "", nil, errShort
	}
	n := int(binary.BigEndian.Uint16(b))
	if len(b) < 2+n {
		return "", nil, errShort
	}
	return string(b[2 : 2+n]), b[2+n:], nil
}

// EncodeHello encodes h as a hello payload.
func EncodeHello(h Hello) []byte {
	b := make([]byte, 0, 6+len(h.DeviceID)+len(h.Token)+len(h.Firmware))
	b = appendString(b, h.DeviceID)
	b = appendString(b, h.Token)
	return appendString(b, h.Firmware)
}

// DecodeHello parses a hello payload.
func DecodeHello(p []byte) (Hello, error) {
	var h Hello
	var err error
	if h.DeviceID, p, err = readString(p); err != nil {
		return Hello{}, err
	}
	if h.Token, p, err = readString(p); err != nil {
		return Hello{}, err
	}
	if h.Firmware, _, err = readString(p); err != nil {
		return Hello{}, err
	}
	if h.DeviceID == "" {
		return Hello{}, errors.New("protocol: empty device id")
	}
	return h, nil
}

// EncodeCommand encodes c as a command payload.
func EncodeCommand(c Command) []byte {
	b := make([]byte, 0, 8+len(c.Name)+len(c.Args))
	b = binary.BigEndian.AppendUint32(b, c.ID)
	b = appendString(b, c.Name)
	return append(b, c.Args...)
}

// DecodeCommand parses a command payload.
func DecodeCommand(p []byte) (Command, error) {
	if len(p) < 4 {
		return Command{}, errShort
	}
	c := Command{ID: binary.BigEndian.Uint32(p)}
	name, rest, err := readString(p[4:])
	if err != nil {
		return Command{}, err
	}
	c.Name = name
	c.Args = append([]byte(nil), rest...)
	return c, nil
}

// EncodeAck encodes a as an ack payload.
func EncodeAck(a Ack) []byte {
	b := make([]byte, 0, 7+len(a.Message))
	b = binary.BigEndian.AppendUint32(b, a.CommandID)
	b = append(b, a.Status)
	return appendString(b, a.Message)
}

// DecodeAck parses an ack payload.
func DecodeAck(p []byte) (Ack, error) {
	if len(p) < 5 {
		return Ack{}, errShort
	}
	a := Ack{CommandID: binary.BigEndian.Uint32(p), Status: p[4]}
	msg, _, err := readString(p[5:])
	if err != nil {
		return Ack{}, err
	}
	a.Message = msg
	return a, nil
}
