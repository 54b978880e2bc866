// Package h2frame reads and writes HTTP/2-style frames and multiplexes
// streams over one connection with flow control.
package h2frame

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// FrameType identifies a frame.
type FrameType uint8

// Frame types.
const (
	FrameData         FrameType = 0x0
	FrameHeaders      FrameType = 0x1
	FrameRSTStream    FrameType = 0x3
	FrameSettings     FrameType = 0x4
	FramePing         FrameType = 0x6
	FrameGoAway       FrameType = 0x7
	FrameWindowUpdate FrameType = 0x8
)

var frameNames = map[FrameType]string{
	FrameData: "DATA", FrameHeaders: "HEADERS", FrameRSTStream: "RST_STREAM",
	FrameSettings: "SETTINGS", FramePing: "PING", FrameGoAway: "GOAWAY",
	FrameWindowUpdate: "WINDOW_UPDATE",
}

func (t FrameType) String() string {
	if s, ok := frameNames[t]; ok {
		return s
	}
	return fmt.Sprintf("UNKNOWN_FRAME_TYPE_%d", uint8(t))
}

// Flags are per-type frame flags.
type Flags uint8

// Frame flags.
const (
	FlagEndStream  Flags = 0x1
	FlagAck        Flags = 0x1
	FlagEndHeaders Flags = 0x4
)

// Has reports whether f contains v.
func (f Flags) Has(v Flags) bool { return f&v == v }

// ErrCode is an RST_STREAM or GOAWAY error code.
type ErrCode uint32

// Error codes.
const (
	ErrCodeNo       ErrCode = 0x0
	ErrCodeProtocol ErrCode = 0x1
	ErrCodeInternal ErrCode = 0x2
	ErrCodeFlow     ErrCode = 0x3
	ErrCodeCancel   ErrCode = 0x8
)

func (e ErrCode) String() string {
	switch e {
	case ErrCodeNo:
		return "NO_ERROR"
	case ErrCodeProtocol:
		return "PROTOCOL_ERROR"
	case ErrCodeInternal:
		return "INTERNAL_ERROR"
	case ErrCodeFlow:
		return "FLOW_CONTROL_ERROR"
	case ErrCodeCancel:
		return "CANCEL"
	}
	return fmt.Sprintf("ERR_CODE_%d", uint32(e))
}

// ConnectionError is a fatal protocol error.
type ConnectionError ErrCode

func (e ConnectionError) Error() string { return "h2frame: connection error: " + ErrCode(e).String() }

// StreamError ends a single stream.
type StreamError struct {
	StreamID uint32
	Code     ErrCode
}

func (e StreamError) Error() string {
	return fmt.Sprintf("h2frame: stream %d error: %s", e.StreamID, e.Code)
}

const frameHeaderLen = 9

// FrameHeader is the fixed 9-byte prefix.
type FrameHeader struct {
	Length   uint32
	Type     FrameType
	Flags    Flags
	StreamID uint32
}

func (h FrameHeader) String() string {
	return fmt.Sprintf("[FrameHeader %s flags=%#x stream=%d len=%d]", h.Type, uint8(h.Flags), h.StreamID, h.Length)
}

func parseFrameHeader(b []byte) FrameHeader {
	return FrameHeader{
		Length:   uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]),
		Type:     FrameType(b[3]),
		Flags:    Flags(b[4]),
		StreamID: binary.BigEndian.Uint32(b[5:]) & (1<<31 - 1),
	}
}

// Frame is any parsed frame.
type Frame interface {
	Header() FrameHeader
}

// DataFrame carries stream data.
type DataFrame struct {
	FrameHeader
	Data []byte
}

// Header implements Frame.
func (f *DataFrame) Header() FrameHeader { return f.FrameHeader }

// StreamEnded reports END_STREAM.
func (f *DataFrame) StreamEnded() bool { return f.Flags.Has(FlagEndStream) }

// HeadersFrame carries a header block.
type HeadersFrame struct {
	FrameHeader
	Block []byte
}

// Header implements Frame.
func (f *HeadersFrame) Header() FrameHeader { return f.FrameHeader }

// Setting is one SETTINGS parameter.
type Setting struct {
	ID  uint16
	Val uint32
}

// Settings identifiers.
const (
	SettingMaxConcurrentStreams uint16 = 0x3
	SettingInitialWindowSize    uint16 = 0x4
	SettingMaxFrameSize         uint16 = 0x5
)

// SettingsFrame carries settings or an ACK.
type SettingsFrame struct {
	FrameHeader
	Settings []Setting
}

// Header implements Frame.
func (f *SettingsFrame) Header() FrameHeader { return f.FrameHeader }

// IsAck reports a SETTINGS ACK.
func (f *SettingsFrame) IsAck() bool { return f.Flags.Has(FlagAck) }

// PingFrame is a PING.
type PingFrame struct {
	FrameHeader
	Data [8]byte
}

// Header implements Frame.
func (f *PingFrame) Header() FrameHeader { return f.FrameHeader }

// GoAwayFrame announces shutdown.
type GoAwayFrame struct {
	FrameHeader
	LastStreamID uint32
	Code         ErrCode
	Debug        []byte
}

// Header implements Frame.
func (f *GoAwayFrame) Header() FrameHeader { return f.FrameHeader }

// WindowUpdateFrame grants flow-control credit.
type WindowUpdateFrame struct {
	FrameHeader
	Increment uint32
}

// Header implements Frame.
func (f *WindowUpdateFrame) Header() FrameHeader { return f.FrameHeader }

// RSTStreamFrame ends a stream.
type RSTStreamFrame struct {
	FrameHeader
	Code ErrCode
}

// Header implements Frame.
func (f *RSTStreamFrame) Header() FrameHeader { return f.FrameHeader }

var errFrameSize = errors.New("h2frame: bad frame size")

func parseFrame(h FrameHeader, p []byte) (Frame, error) {
	switch h.Type {
	case FrameData:
		if h.StreamID == 0 {
			return nil, ConnectionError(ErrCodeProtocol)
		}
		return &DataFrame{FrameHeader: h, Data: p}, nil
	case FrameHeaders:
		return &HeadersFrame{FrameHeader: h, Block: p}, nil
	case FrameSettings:
		return parseSettings(h, p)
	case FramePing:
		if len(p) != 8 {
			return nil, errFrameSize
		}
		f := &PingFrame{FrameHeader: h}
		copy(f.Data[:], p)
		return f, nil
	case FrameGoAway:
		if len(p) < 8 {
			return nil, errFrameSize
		}
		return &GoAwayFrame{FrameHeader: h, LastStreamID: binary.BigEndian.Uint32(p) & (1<<31 - 1),
			Code: ErrCode(binary.BigEndian.Uint32(p[4:])), Debug: p[8:]}, nil
	case FrameWindowUpdate:
		if len(p) != 4 {
			return nil, errFrameSize
		}
		inc := binary.BigEndian.Uint32(p) & (1<<31 - 1)
		if inc == 0 {
			return nil, ConnectionError(ErrCodeProtocol)
		}
		return &WindowUpdateFrame{FrameHeader: h, Increment: inc}, nil
	case FrameRSTStream:
		if len(p) != 4 {
			return nil, errFrameSize
		}
		return &RSTStreamFrame{FrameHeader: h, Code: ErrCode(binary.BigEndian.Uint32(p))}, nil
	}
	return nil, fmt.Errorf("h2frame: unknown frame type %s", h.Type)
}

func parseSettings(h FrameHeader, p []byte) (*SettingsFrame, error) {
	if h.StreamID != 0 {
		return nil, ConnectionError(ErrCodeProtocol)
	}
	if h.Flags.Has(FlagAck) {
		if len(p) != 0 {
			return nil, errFrameSize
		}
		return &SettingsFrame{FrameHeader: h}, nil
	}
	if len(p)%6 != 0 {
		return nil, errFrameSize
	}
	f := &SettingsFrame{FrameHeader: h}
	for i := 0; i < len(p); i += 6 {
		f.Settings = append(f.Settings, Setting{ID: binary.BigEndian.Uint16(p[i:]), Val: binary.BigEndian.Uint32(p[i+2:])})
	}
	return f, nil
}
