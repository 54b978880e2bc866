package dnsmsg

import "encoding/binary"

// Parse decodes the header and question section of b.
func Parse(b []byte) (*Message, error) {
	h, err := ParseHeader(b)
	if err != nil {
		return nil, err
	}
	m := &Message{Header: h, Raw: b}
	off := HeaderLen
	for i := 0; i < int(h.QDCount); i++ {
		name, next, err := readName(b, off)
		if err != nil {
			return nil, err
		}
		if next+4 > len(b) {
			return nil, ErrShort
		}
		m.Questions = append(m.Questions, Question{
			Name:  name,
			Type:  binary.BigEndian.Uint16(b[next:]),
			Class: binary.BigEndian.Uint16(b[next+2:]),
		})
		off = next + 4
	}
	if len(m.Questions) == 0 {
		return nil, ErrNoQuestion
	}
	return m, nil
}

// NewQuery builds a recursive query for name and qtype.
func NewQuery(id uint16, name string, qtype uint16) ([]byte, error) {
	b := make([]byte, HeaderLen, HeaderLen+len(name)+6)
	Header{ID: id, Flags: flagRD, QDCount: 1}.Put(b)
	b, err := appendName(b, name)
	if err != nil {
		return nil, err
	}
	b = binary.BigEndian.AppendUint16(b, qtype)
	b = binary.BigEndian.AppendUint16(b, ClassINET)
	return b, nil
}

// ErrorResponse answers query with rcode and no records, echoing the question.
func ErrorResponse(query []byte, rcode int) ([]byte, error) {
	h, err := ParseHeader(query)
	if err != nil {
		return nil, err
	}
	end, err := questionsEnd(query, int(h.QDCount))
	if err != nil {
		return nil, err
	}
	resp := make([]byte, end)
	copy(resp, query[:end])
	h.Flags = flagQR | flagRA | (h.Flags & flagRD) | uint16(rcode&0x0F)
	h.ANCount, h.NSCount, h.ARCount = 0, 0, 0
	h.Put(resp)
	return resp, nil
}

// Truncate shortens resp to its question section with TC set when it does
// not fit in max bytes; the client is expected to retry over TCP.
func Truncate(resp []byte, max int) []byte {
	if len(resp) <= max {
		return resp
	}
	h, err := ParseHeader(resp)
	if err != nil {
		return nil
	}
	end, err := questionsEnd(resp, int(h.QDCount))
	if err != nil || end > max {
		return nil
	}
	out := make([]byte, end)
	copy(out, resp[:end])
	h.Flags |= flagTC
	h.ANCount, h.NSCount, h.ARCount = 0, 0, 0
	h.Put(out)
	return out
}

// MinTTL returns the smallest TTL of the answer and authority sections.
func MinTTL(b []byte) (uint32, bool) {
	h, err := ParseHeader(b)
	if err != nil {
		return 0, false
	}
	off, err := questionsEnd(b, int(h.QDCount))
	if err != nil {
		return 0, false
	}
	var lowest uint32
	found := false
	for i := 0; i < int(h.ANCount)+int(h.NSCount); i++ {
		typ, _, ttl, end, err := rrHeader(b, off)
		if err != nil {
			return 0, false
		}
		off = end
		if typ == TypeOPT {
			continue
		}
		if !found || ttl < lowest {
			lowest, found = ttl, true
		}
	}
	return lowest, found
}

// UDPSize returns the UDP payload size the client advertised with EDNS0,
// or 512 when it did not.
func UDPSize(q []byte) int {
	h, err := ParseHeader(q)
	if err != nil || h.ARCount == 0 {
		return 512
	}
	off, err := questionsEnd(q, int(h.QDCount))
	if err != nil {
		return 512
	}
	skip := int(h.ANCount) + int(h.NSCount)
	for i := 0; i < skip+int(h.ARCount); i++ {
		typ, class, _, end, err := rrHeader(q, off)
		if err != nil {
			return 512
		}
		if i >= skip && typ == TypeOPT {
			if class < 512 {
				return 512
			}
			return int(class)
		}
		off = end
	}
	return 512
}
