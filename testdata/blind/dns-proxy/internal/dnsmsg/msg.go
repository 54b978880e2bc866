// Package dnsmsg implements the small subset of the DNS wire format that the
// proxy needs: headers, questions, names with compression pointers, and enough
// resource-record walking to find TTLs and the EDNS0 buffer size.
package dnsmsg

import (
	"encoding/binary"
	"errors"
	"strings"
)

// HeaderLen is the size of the fixed DNS header.
const HeaderLen = 12

// Record types and classes used by the proxy.
const (
	TypeA     uint16 = 1
	TypeNS    uint16 = 2
	TypeCNAME uint16 = 5
	TypeSOA   uint16 = 6
	TypePTR   uint16 = 12
	TypeMX    uint16 = 15
	TypeTXT   uint16 = 16
	TypeAAAA  uint16 = 28
	TypeSRV   uint16 = 33
	TypeOPT   uint16 = 41
	TypeHTTPS uint16 = 65

	ClassINET uint16 = 1
)

// Response codes.
const (
	RcodeSuccess  = 0
	RcodeFormErr  = 1
	RcodeServFail = 2
	RcodeNXDomain = 3
	RcodeRefused  = 5
)

const (
	flagQR = 1 << 15
	flagTC = 1 << 9
	flagRD = 1 << 8
	flagRA = 1 << 7
)

// Errors returned by the parser.
var (
	ErrShort       = errors.New("dnsmsg: message too short")
	ErrPointerLoop = errors.New("dnsmsg: too many compression pointers")
	ErrLabelLen    = errors.New("dnsmsg: empty or oversized label")
	ErrNameLen     = errors.New("dnsmsg: name too long")
	ErrNoQuestion  = errors.New("dnsmsg: message has no question")
)

// Header is the fixed 12-byte message header.
type Header struct {
	ID      uint16
	Flags   uint16
	QDCount uint16
	ANCount uint16
	NSCount uint16
	ARCount uint16
}

// Question is one entry of the question section.
type Question struct {
	Name  string
	Type  uint16
	Class uint16
}

// Message is a parsed query: its header, questions and the raw bytes.
type Message struct {
	Header    Header
	Questions []Question
	Raw       []byte
}

// ParseHeader decodes the header at the start of b.
func ParseHeader(b []byte) (Header, error) {
	if len(b) < HeaderLen {
		return Header{}, ErrShort
	}
	return Header{
		ID:      binary.BigEndian.Uint16(b[0:2]),
		Flags:   binary.BigEndian.Uint16(b[2:4]),
		QDCount: binary.BigEndian.Uint16(b[4:6]),
		ANCount: binary.BigEndian.Uint16(b[6:8]),
		NSCount: binary.BigEndian.Uint16(b[8:10]),
		ARCount: binary.BigEndian.Uint16(b[10:12]),
	}, nil
}

// Put writes h into the first HeaderLen bytes of b.
func (h Header) Put(b []byte) {
	binary.BigEndian.PutUint16(b[0:2], h.ID)
	binary.BigEndian.PutUint16(b[2:4], h.Flags)
	binary.BigEndian.PutUint16(b[4:6], h.QDCount)
	binary.BigEndian.PutUint16(b[6:8], h.ANCount)
	binary.BigEndian.PutUint16(b[8:10], h.NSCount)
	binary.BigEndian.PutUint16(b[10:12], h.ARCount)
}

// Response reports whether the QR bit is set.
func (h Header) Response() bool { return h.Flags&flagQR != 0 }

// Truncated reports whether the TC bit is set.
func (h Header) Truncated() bool { return h.Flags&flagTC != 0 }

// ID returns the message ID of a raw message, or 0 if it is too short.
func ID(b []byte) uint16 {
	if len(b) < 2 {
		return 0
	}
	return binary.BigEndian.Uint16(b)
}

// SetID rewrites the message ID in place.
func SetID(b []byte, id uint16) {
	if len(b) >= 2 {
		binary.BigEndian.PutUint16(b, id)
	}
}

// Rcode returns the response code of a raw message, or -1 if it is too short.
func Rcode(b []byte) int {
	if len(b) < HeaderLen {
		return -1
	}
	return int(b[3] & 0x0F)
}

// CanonicalName lower-cases a name and strips the trailing dot.
func CanonicalName(name string) string {
	return strings.ToLower(strings.TrimSuffix(name, "."))
}
