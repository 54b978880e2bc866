// Package dnsmsg implements the subset of the DNS message format (RFC 1035)
// that the resolver and the authoritative server need.
package dnsmsg

import (
	"fmt"
	"strconv"
	"strings"
)

// Type is a resource record type.
type Type uint16

// Record types understood by the server.
const (
	TypeA     Type = 1
	TypeNS    Type = 2
	TypeCNAME Type = 5
	TypeSOA   Type = 6
	TypePTR   Type = 12
	TypeMX    Type = 15
	TypeTXT   Type = 16
	TypeAAAA  Type = 28
	TypeSRV   Type = 33
	TypeAXFR  Type = 252
	TypeANY   Type = 255
)

// Class is a resource record class. Only IN is served.
type Class uint16

// ClassINET is the Internet class.
const ClassINET Class = 1

// Rcode is a response code.
type Rcode uint8

// Response codes.
const (
	RcodeSuccess  Rcode = 0
	RcodeFormErr  Rcode = 1
	RcodeServFail Rcode = 2
	RcodeNXDomain Rcode = 3
	RcodeNotImp   Rcode = 4
	RcodeRefused  Rcode = 5
)

var typeNames = map[Type]string{
	TypeA: "A", TypeNS: "NS", TypeCNAME: "CNAME", TypeSOA: "SOA", TypePTR: "PTR",
	TypeMX: "MX", TypeTXT: "TXT", TypeAAAA: "AAAA", TypeSRV: "SRV", TypeAXFR: "AXFR",
	TypeANY: "ANY",
}

// String returns the mnemonic of t, or TYPEnnn for unknown types.
func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return "TYPE" + strconv.Itoa(int(t))
}

// ParseType parses a record type mnemonic such as "AAAA" or "TYPE65".
func ParseType(s string) (Type, error) {
	u := strings.ToUpper(s)
	for t, name := range typeNames {
		if name == u {
			return t, nil
		}
	}
	if rest, ok := strings.CutPrefix(u, "TYPE"); ok {
		n, err := strconv.ParseUint(rest, 10, 16)
		if err == nil {
			return Type(n), nil
		}
	}
	return 0, fmt.Errorf("dnsmsg: unknown record type %q", s)
}

var rcodeNames = [...]string{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"}

// String returns the mnemonic of r.
func (r Rcode) String() string {
	if int(r) < len(rcodeNames) {
		return rcodeNames[r]
	}
	return "RCODE" + strconv.Itoa(int(r))
}

// Header is the fixed part of a DNS message.
type Header struct {
	ID                 uint16
	Response           bool
	Opcode             uint8
	Authoritative      bool
	Truncated          bool
	RecursionDesired   bool
	RecursionAvailable bool
	Rcode              Rcode
}

// Question is an entry of the question section.
type Question struct {
	Name  string
	Type  Type
	Class Class
}

// String formats q the way dig does.
func (q Question) String() string {
	return fmt.Sprintf("%s\tIN\t%s", q.Name, q.Type)
}

// RR is a resource record. Data holds the RDATA in wire format.
type RR struct {
	Name  string
	Type  Type
	Class Class
	TTL   uint32
	Data  []byte
}

// Msg is a DNS message.
type Msg struct {
	Header
	Question   []Question
	Answer     []RR
	Authority  []RR
	Additional []RR
}

// NewQuery builds a recursive query for name and type t.
func NewQuery(id uint16, name string, t Type) *Msg {
	return &Msg{
		Header:   Header{ID: id, RecursionDesired: true},
		Question: []Question{{Name: Canonical(name), Type: t, Class: ClassINET}},
	}
}

// Reply returns an empty response to m with the same ID and question.
func (m *Msg) Reply() *Msg {
	r := &Msg{Header: Header{
		ID:               m.ID,
		Response:         true,
		Opcode:           m.Opcode,
		RecursionDesired: m.RecursionDesired,
	}}
	r.Question = append(r.Question, m.Question...)
	return r
}

// ErrorReply returns a response to m carrying rcode.
func (m *Msg) ErrorReply(rcode Rcode) *Msg {
	r := m.Reply()
	r.Rcode = rcode
	return r
}

// MinTTL returns the smallest TTL of the answer and authority sections, which
// bounds how long the message may be cached. An empty message has TTL 0.
func (m *Msg) MinTTL() uint32 {
	var minTTL uint32
	first := true
	for _, sec := range [][]RR{m.Answer, m.Authority} {
		for _, rr := range sec {
			if first || rr.TTL < minTTL {
				minTTL = rr.TTL
				first = false
			}
		}
	}
	return minTTL
}

// Copy returns a deep copy of m, so that a cached message can be handed out
// and have its ID and TTLs rewritten.
func (m *Msg) Copy() *Msg {
	c := &Msg{Header: m.Header}
	c.Question = append([]Question(nil), m.Question...)
	c.Answer = copyRRs(m.Answer)
	c.Authority = copyRRs(m.Authority)
	c.Additional = copyRRs(m.Additional)
	return c
}

func copyRRs(rrs []RR) []RR {
	if rrs == nil {
		return nil
	}
	out := make([]RR, len(rrs))
	for i, rr := range rrs {
		out[i] = rr
		out[i].Data = append([]byte(nil), rr.Data...)
	}
	return out
}

// DecrementTTL lowers every TTL by elapsed seconds, flooring at zero.
func (m *Msg) DecrementTTL(elapsed uint32) {
	for _, sec := range [][]RR{m.Answer, m.Authority, m.Additional} {
		for i := range sec {
			if sec[i].TTL > elapsed {
				sec[i].TTL -= elapsed
			} else {
				sec[i].TTL = 0
			}
		}
	}
}
