package dnsmsg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Wire-format errors.
var (
	ErrShort     = errors.New("dnsmsg: message too short")
	ErrLabelLen  = errors.New("dnsmsg: label longer than 63 octets")
	ErrNameLen   = errors.New("dnsmsg: name longer than 255 octets")
	ErrPtrLoop   = errors.New("dnsmsg: too many compression pointers")
	ErrTrailing  = errors.New("dnsmsg: trailing data after message")
	ErrTooLarge  = errors.New("dnsmsg: message exceeds 65535 octets")
	errBadRdata  = errors.New("dnsmsg: rdata length exceeds message")
	maxPointers  = 32
	headerLength = 12
)

func packFlags(h Header) uint16 {
	var f uint16
	if h.Response {
		f |= 1 << 15
	}
	f |= uint16(h.Opcode&0xf) << 11
	if h.Authoritative {
		f |= 1 << 10
	}
	if h.Truncated {
		f |= 1 << 9
	}
	if h.RecursionDesired {
		f |= 1 << 8
	}
	if h.RecursionAvailable {
		f |= 1 << 7
	}
	f |= uint16(h.Rcode & 0xf)
	return f
}

func unpackFlags(id, f uint16) Header {
	return Header{
		ID:                 id,
		Response:           f&(1<<15) != 0,
		Opcode:             uint8(f>>11) & 0xf,
		Authoritative:      f&(1<<10) != 0,
		Truncated:          f&(1<<9) != 0,
		RecursionDesired:   f&(1<<8) != 0,
		RecursionAvailable: f&(1<<7) != 0,
		Rcode:              Rcode(f & 0xf),
	}
}

// Pack encodes m in wire format without name compression.
func (m *Msg) Pack() ([]byte, error) {
	return m.AppendPack(make([]byte, 0, 512))
}

// AppendPack appends the wire form of m to b.
func (m *Msg) AppendPack(b []byte) ([]byte, error) {
	start := len(b)
	b = binary.BigEndian.AppendUint16(b, m.ID)
	b = binary.BigEndian.AppendUint16(b, packFlags(m.Header))
	for _, n := range []int{len(m.Question), len(m.Answer), len(m.Authority), len(m.Additional)} {
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	}
	var err error
	for _, q := range m.Question {
		if b, err = appendName(b, q.Name); err != nil {
			return nil, err
		}
		b = binary.BigEndian.AppendUint16(b, uint16(q.Type))
		b = binary.BigEndian.AppendUint16(b, uint16(q.Class))
	}
	for _, sec := range [][]RR{m.Answer, m.Authority, m.Additional} {
		for _, rr := range sec {
			if b, err = appendRR(b, rr); err != nil {
				return nil, err
			}
		}
	}
	if len(b)-start > 0xffff {
		return nil, ErrTooLarge
	}
	return b, nil
}

func appendRR(b []byte, rr RR) ([]byte, error) {
	b, err := appendName(b, rr.Name)
	if err != nil {
		return nil, err
	}
	b = binary.BigEndian.AppendUint16(b, uint16(rr.Type))
	b = binary.BigEndian.AppendUint16(b, uint16(rr.Class))
	b = binary.BigEndian.AppendUint32(b, rr.TTL)
	if len(rr.Data) > 0xffff {
		return nil, ErrTooLarge
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(rr.Data)))
	return append(b, rr.Data...), nil
}

func appendName(b []byte, name string) ([]byte, error) {
	name = Canonical(name)
	if len(name) > 255 {
		return nil, ErrNameLen
	}
	if name == "." {
		return append(b, 0), nil
	}
	for _, label := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		if len(label) == 0 || len(label) > 63 {
			return nil, ErrLabelLen
		}
		b = append(b, byte(len(label)))
		b = append(b, label...)
	}
	return append(b, 0), nil
}

// readName decodes the (possibly compressed) name at off and returns it with
// the offset just past it in the original position.
func readName(msg []byte, off int) (string, int, error) {
	var sb strings.Builder
	next := -1
	pointers := 0
	for {
		if off >= len(msg) {
			return "", 0, ErrShort
		}
		c := int(msg[off])
		switch c & 0xc0 {
		case 0x00:
			if c == 0 {
				if next < 0 {
					next = off + 1
				}
				if sb.Len() == 0 {
					return ".", next, nil
				}
				if sb.Len() > 255 {
					return "", 0, ErrNameLen
				}
				return strings.ToLower(sb.String()), next, nil
			}
			if off+1+c > len(msg) {
				return "", 0, ErrShort
			}
			sb.Write(msg[off+1 : off+1+c])
			sb.WriteByte('.')
			off += 1 + c
		case 0xc0:
			if off+1 >= len(msg) {
				return "", 0, ErrShort
			}
			if pointers++; pointers > maxPointers {
				return "", 0, ErrPtrLoop
			}
			if next < 0 {
				next = off + 2
			}
			off = int(binary.BigEndian.Uint16(msg[off:]) & 0x3fff)
		default:
			return "", 0, fmt.Errorf("dnsmsg: reserved label type %#x", c&0xc0)
		}
	}
}

// Unpack decodes a wire-format message. Malformed input yields an error,
// never a panic: a bug in the decoder must not take the listener down.
func Unpack(b []byte) (m *Msg, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("dnsmsg: malformed message: %v", r)
		}
	}()
	if len(b) < headerLength {
		return nil, ErrShort
	}
	m = &Msg{Header: unpackFlags(binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:]))}
	qd := int(binary.BigEndian.Uint16(b[4:]))
	counts := [3]int{
		int(binary.BigEndian.Uint16(b[6:])),
		int(binary.BigEndian.Uint16(b[8:])),
		int(binary.BigEndian.Uint16(b[10:])),
	}
	off := headerLength
	for range qd {
		name, n, err := readName(b, off)
		if err != nil {
			return nil, err
		}
		if n+4 > len(b) {
			return nil, ErrShort
		}
		m.Question = append(m.Question, Question{
			Name:  name,
			Type:  Type(binary.BigEndian.Uint16(b[n:])),
			Class: Class(binary.BigEndian.Uint16(b[n+2:])),
		})
		off = n + 4
	}
	secs := [3]*[]RR{&m.Answer, &m.Authority, &m.Additional}
	for i, sec := range secs {
		if *sec, off, err = unpackRRs(b, off, counts[i]); err != nil {
			return nil, err
		}
	}
	if off != len(b) {
		return nil, ErrTrailing
	}
	return m, nil
}

func unpackRRs(b []byte, off, n int) ([]RR, int, error) {
	if n == 0 {
		return nil, off, nil
	}
	rrs := make([]RR, 0, n)
	for range n {
		name, next, err := readName(b, off)
		if err != nil {
			return nil, 0, err
		}
		if next+10 > len(b) {
			return nil, 0, ErrShort
		}
		rr := RR{
			Name:  name,
			Type:  Type(binary.BigEndian.Uint16(b[next:])),
			Class: Class(binary.BigEndian.Uint16(b[next+2:])),
			TTL:   binary.BigEndian.Uint32(b[next+4:]),
		}
		rdlen := int(binary.BigEndian.Uint16(b[next+8:]))
		start := next + 10
		if start+rdlen > len(b) {
			return nil, 0, errBadRdata
		}
		rr.Data = append([]byte(nil), b[start:start+rdlen]...)
		rrs = append(rrs, rr)
		off = start + rdlen
	}
	return rrs, off, nil
}

// Truncate drops records from the end of m until its packed size fits in
// limit, and sets the TC bit when anything was dropped.
func (m *Msg) Truncate(limit int) ([]byte, error) {
	b, err := m.Pack()
	if err != nil || len(b) <= limit {
		return b, err
	}
	t := m.Copy()
	t.Truncated = true
	t.Additional = nil
	for len(t.Answer) > 0 {
		t.Answer = t.Answer[:len(t.Answer)-1]
		if b, err = t.Pack(); err != nil || len(b) <= limit {
			return b, err
		}
	}
	t.Authority = nil
	return t.Pack()
}
