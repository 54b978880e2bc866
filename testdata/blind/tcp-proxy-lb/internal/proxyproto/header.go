// Package proxyproto parses and writes HAProxy PROXY protocol headers
// (version 1 text and version 2 binary).
package proxyproto

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// Errors returned by the parser.
var (
	ErrNoHeader      = errors.New("proxyproto: no PROXY header")
	ErrInvalidHeader = errors.New("proxyproto: invalid header")
)

var v2Signature = []byte{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A}

const maxV1Len = 107

// Header is a parsed PROXY header.
type Header struct {
	Version  int
	Command  string // "PROXY" or "LOCAL"
	Protocol string // "TCP4", "TCP6", "UNKNOWN"
	Src      *net.TCPAddr
	Dst      *net.TCPAddr
}

// Read parses a header from br. It returns ErrNoHeader, without consuming
// anything, when the stream does not start with a signature.
func Read(br *bufio.Reader) (*Header, error) {
	peek, err := br.Peek(5)
	if err != nil {
		return nil, err
	}
	if string(peek) == "PROXY" {
		return readV1(br)
	}
	sig, err := br.Peek(len(v2Signature))
	if err == nil && bytes.Equal(sig, v2Signature) {
		return readV2(br)
	}
	return nil, ErrNoHeader
}

func readV1(br *bufio.Reader) (*Header, error) {
	var line []byte
	for len(line) < maxV1Len {
		b, err := br.ReadByte()
		if err != nil {
			return nil, err
		}
		line = append(line, b)
		if b == '\n' {
			break
		}
	}
	if !bytes.HasSuffix(line, []byte("\r\n")) {
		return nil, fmt.Errorf("%w: v1 line too long or not CRLF terminated", ErrInvalidHeader)
	}
	return ParseV1(string(line[:len(line)-2]))
}

// ParseV1 parses a v1 line without its CRLF.
func ParseV1(line string) (h *Header, err error) {
	defer catchParsePanic(&err)
	f := strings.Fields(line)
	if len(f) < 2 || f[0] != "PROXY" {
		return nil, fmt.Errorf("%w: %q", ErrInvalidHeader, line)
	}
	h = &Header{Version: 1, Command: "PROXY", Protocol: f[1]}
	if f[1] == "UNKNOWN" {
		return h, nil
	}
	if len(f) != 6 || (f[1] != "TCP4" && f[1] != "TCP6") {
		return nil, fmt.Errorf("%w: %q", ErrInvalidHeader, line)
	}
	h.Src = mustAddr(f[2], f[4])
	h.Dst = mustAddr(f[3], f[5])
	return h, nil
}

// mustAddr panics on malformed input; ParseV1 turns the panic into an error.
func mustAddr(ip, port string) *net.TCPAddr {
	addr := net.ParseIP(ip)
	if addr == nil {
		panic(fmt.Sprintf("bad address %q", ip))
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		panic(fmt.Sprintf("bad port %q", port))
	}
	return &net.TCPAddr{IP: addr, Port: int(p)}
}

// catchParsePanic is deferred directly by the parsers.
func catchParsePanic(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v", ErrInvalidHeader, r)
	}
}

// recoverParse converts a parser panic into an error. It is called from the
// deferred closure in readV2 so that the byte count can be logged as well.
func recoverParse(err *error, n int) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		*err = fmt.Errorf("%w: after %d bytes: %v", ErrInvalidHeader, n, r)
	}
}

func readV2(br *bufio.Reader) (h *Header, err error) {
	var hdr [16]byte
	n := 0
	defer func() { recoverParse(&err, n) }()
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return nil, err
	}
	n = len(hdr)
	verCmd, fam := hdr[12], hdr[13]
	if verCmd>>4 != 2 {
		return nil, fmt.Errorf("%w: version %d", ErrInvalidHeader, verCmd>>4)
	}
	length := int(binary.BigEndian.Uint16(hdr[14:16]))
	body := make([]byte, length)
	if _, err := io.ReadFull(br, body); err != nil {
		return nil, err
	}
	n += length
	h = &Header{Version: 2, Command: "PROXY"}
	if verCmd&0x0F == 0 {
		h.Command = "LOCAL"
		return h, nil
	}
	switch fam >> 4 {
	case 1:
		h.Protocol = "TCP4"
		h.Src = &net.TCPAddr{IP: net.IP(body[0:4]), Port: int(binary.BigEndian.Uint16(body[8:10]))}
		h.Dst = &net.TCPAddr{IP: net.IP(body[4:8]), Port: int(binary.BigEndian.Uint16(body[10:12]))}
	case 2:
		h.Protocol = "TCP6"
		h.Src = &net.TCPAddr{IP: net.IP(body[0:16]), Port: int(binary.BigEndian.Uint16(body[32:34]))}
		h.Dst = &net.TCPAddr{IP: net.IP(body[16:32]), Port: int(binary.BigEndian.Uint16(body[34:36]))}
	default:
		h.Protocol = "UNKNOWN"
	}
	return h, nil
}

// Format renders the header as a v1 line including CRLF.
func (h *Header) Format() string {
	if h.Protocol == "UNKNOWN" || h.Src == nil || h.Dst == nil {
		return "PROXY UNKNOWN\r\n"
	}
	return fmt.Sprintf("PROXY %s %s %s %d %d\r\n", h.Protocol, h.Src.IP, h.Dst.IP, h.Src.Port, h.Dst.Port)
}

// WriteTo writes the v1 form of the header to w.
func (h *Header) WriteTo(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, h.Format())
	return int64(n), err
}

// FromConn builds the header a proxy sends upstream for a client connection.
func FromConn(c net.Conn) *Header {
	src, ok1 := c.RemoteAddr().(*net.TCPAddr)
	dst, ok2 := c.LocalAddr().(*net.TCPAddr)
	if !ok1 || !ok2 {
		return &Header{Version: 1, Command: "PROXY", Protocol: "UNKNOWN"}
	}
	proto := "TCP4"
	if src.IP.To4() == nil {
		proto = "TCP6"
	}
	return &Header{Version: 1, Command: "PROXY", Protocol: proto, Src: src, Dst: dst}
}
