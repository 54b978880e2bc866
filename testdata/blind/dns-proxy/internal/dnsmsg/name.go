package dnsmsg

import (
	"encoding/binary"
	"strings"
)

const maxPointers = 16

// readName decodes the (possibly compressed) name at off and returns it with
// the offset just past the name in the original position.
func readName(msg []byte, off int) (string, int, error) {
	var sb strings.Builder
	end := -1
	pointers := 0
	for {
		if off >= len(msg) {
			return "", 0, ErrShort
		}
		l := int(msg[off])
		switch {
		case l == 0:
			if end < 0 {
				end = off + 1
			}
			name := strings.TrimSuffix(sb.String(), ".")
			if name == "" {
				name = "."
			}
			return name, end, nil
		case l&0xC0 == 0xC0:
			if off+1 >= len(msg) {
				return "", 0, ErrShort
			}
			if end < 0 {
				end = off + 2
			}
			pointers++
			if pointers > maxPointers {
				return "", 0, ErrPointerLoop
			}
			off = int(binary.BigEndian.Uint16(msg[off:]) & 0x3FFF)
		default:
			off++
			if off+l > len(msg) {
				return "", 0, ErrShort
			}
			sb.Write(msg[off : off+l])
			sb.WriteByte('.')
			off += l
		}
	}
}

// appendName appends name in uncompressed wire format.
func appendName(b []byte, name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".")
	if name == "" {
		return append(b, 0), nil
	}
	if len(name) > 253 {
		return nil, ErrNameLen
	}
	for _, label := range strings.Split(name, ".") {
		if len(label) == 0 || len(label) > 63 {
			return nil, ErrLabelLen
		}
		b = append(b, byte(len(label)))
		b = append(b, label...)
	}
	return append(b, 0), nil
}

// questionsEnd returns the offset just past the question section.
func questionsEnd(b []byte, qdcount int) (int, error) {
	off := HeaderLen
	for i := 0; i < qdcount; i++ {
		_, next, err := readName(b, off)
		if err != nil {
			return 0, err
		}
		off = next + 4
		if off > len(b) {
			return 0, ErrShort
		}
	}
	return off, nil
}

// rrHeader decodes the fixed part of the resource record at off.
func rrHeader(b []byte, off int) (typ, class uint16, ttl uint32, end int, err error) {
	_, next, err := readName(b, off)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if next+10 > len(b) {
		return 0, 0, 0, 0, ErrShort
	}
	typ = binary.BigEndian.Uint16(b[next:])
	class = binary.BigEndian.Uint16(b[next+2:])
	ttl = binary.BigEndian.Uint32(b[next+4:])
	end = next + 10 + int(binary.BigEndian.Uint16(b[next+8:]))
	if end > len(b) {
		return 0, 0, 0, 0, ErrShort
	}
	return typ, class, ttl, end, nil
}
