// Package proto implements the SFU signalling wire format: length-prefixed
// frames over a plain TCP stream, modelled loosely on WebSocket framing but
// without masking or fragmentation.
package proto

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// Opcode identifies the kind of a signalling frame.
type Opcode uint8

// Signalling opcodes.
const (
	OpHello Opcode = iota + 1
	OpJoin
	OpLeave
	OpOffer
	OpAnswer
	OpCandidate
	OpKeyframeRequest
	OpPing
	OpPong
	OpError
	OpBye
)

const (
	// headerLen is magic(2) op(1) flags(1) stream(2) length(4).
	headerLen = 10
	// MaxPayload bounds a single frame; larger frames are a protocol error.
	MaxPayload = 1 << 20
	magic      = 0x5346 // "SF"
)

// Protocol errors.
var (
	ErrBadMagic      = errors.New("proto: bad frame magic")
	ErrFrameTooLarge = errors.New("proto: frame exceeds MaxPayload")
	ErrUnknownOpcode = errors.New("proto: unknown opcode")
)

// Frame is one signalling message.
type Frame struct {
	Op      Opcode
	Stream  uint16
	Payload []byte
}

func (op Opcode) String() string {
	switch op {
	case OpHello:
		return "HELLO"
	case OpJoin:
		return "JOIN"
	case OpLeave:
		return "LEAVE"
	case OpOffer:
		return "OFFER"
	case OpAnswer:
		return "ANSWER"
	case OpCandidate:
		return "CANDIDATE"
	case OpKeyframeRequest:
		return "KEYFRAME_REQUEST"
	case OpPing:
		return "PING"
	case OpPong:
		return "PONG"
	case OpError:
		return "ERROR"
	case OpBye:
		return "BYE"
	}
	return "OP(" + strconv.Itoa(int(op)) + ")"
}

func (f Frame) String() string {
	return fmt.Sprintf("%s(stream=%d, %d bytes)", f.Op, f.Stream, len(f.Payload))
}

func validOpcode(op Opcode) bool {
	return op >= OpHello && op <= OpBye
}

func encodeHeader(dst []byte, f Frame) {
	binary.BigEndian.PutUint16(dst[0:2], magic)
	dst[2] = byte(f.Op)
	dst[3] = 0
	binary.BigEndian.PutUint16(dst[4:6], f.Stream)
	binary.BigEndian.PutUint32(dst[6:10], uint32(len(f.Payload)))
}

// WriteFrame writes f to w as a single header+payload write, so concurrent
// writers that serialise on a mutex never interleave partial frames.
func WriteFrame(w io.Writer, f Frame) error {
	if len(f.Payload) > MaxPayload {
		return ErrFrameTooLarge
	}
	if !validOpcode(f.Op) {
		return fmt.Errorf("%w: %d", ErrUnknownOpcode, f.Op)
	}
	buf := make([]byte, headerLen+len(f.Payload))
	encodeHeader(buf, f)
	copy(buf[headerLen:], f.Payload)
	_, err := w.Write(buf)
	return err
}

// ReadFrame reads one frame from r.
func ReadFrame(r io.Reader) (Frame, error) {
	var hdr [headerLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	if binary.BigEndian.Uint16(hdr[0:2]) != magic {
		return Frame{}, ErrBadMagic
	}
	f := Frame{Op: Opcode(hdr[2]), Stream: binary.BigEndian.Uint16(hdr[4:6])}
	if !validOpcode(f.Op) {
		return Frame{}, fmt.Errorf("%w: %d", ErrUnknownOpcode, hdr[2])
	}
	n := binary.BigEndian.Uint32(hdr[6:10])
	if n > MaxPayload {
		return Frame{}, ErrFrameTooLarge
	}
	f.Payload = make([]byte, n)
	if _, err := io.ReadFull(r, f.Payload); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return Frame{}, err
	}
	return f, nil
}

// TrackInfo describes a published media track, carried in OFFER frames.
type TrackInfo struct {
	SSRC  uint32
	Kind  string
	Codec string
}

// EncodeTrackInfo is the inverse of DecodeTrackInfo.
func EncodeTrackInfo(info TrackInfo) []byte {
	b := make([]byte, 4, 6+len(info.Kind)+len(info.Codec))
	binary.BigEndian.PutUint32(b, info.SSRC)
	b = append(b, byte(len(info.Kind)))
	b = append(b, info.Kind...)
	b = append(b, byte(len(info.Codec)))
	b = append(b, info.Codec...)
	return b
}

// DecodeTrackInfo parses the binary track description a publisher sends.
// Truncated input is meant to be reported as an error.
func DecodeTrackInfo(b []byte) (info TrackInfo, err error) {
	defer recover() // HAZ recover-ineffective
	if len(b) < 6 {
		return info, fmt.Errorf("proto: track info too short (%d bytes)", len(b))
	}
	info.SSRC = binary.BigEndian.Uint32(b[0:4])
	kl := int(b[4])
	info.Kind = string(b[5 : 5+kl])
	cl := int(b[5+kl])
	info.Codec = string(b[6+kl : 6+kl+cl])
	return info, nil
}

// Candidate is an ICE-like transport candidate exchanged during signalling.
type Candidate struct {
	Proto    string
	Addr     netip.AddrPort
	Priority uint32
}

func (c Candidate) String() string {
	return fmt.Sprintf("%s %s prio=%d", c.Proto, c.Addr, c.Priority)
}

// DecodeCandidate parses "proto addr:port priority". Any panic from a
// malformed line is turned into an error for the caller.
func DecodeCandidate(line string) (c Candidate, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("proto: malformed candidate %q: %v", line, r)
		}
	}()
	fields := strings.Fields(line)
	c.Proto = strings.ToLower(fields[0])
	if c.Addr, err = netip.ParseAddrPort(fields[1]); err != nil {
		return Candidate{}, err
	}
	prio, err := strconv.ParseUint(fields[2], 10, 32)
	if err != nil {
		return Candidate{}, err
	}
	c.Priority = uint32(prio)
	return c, nil
}
