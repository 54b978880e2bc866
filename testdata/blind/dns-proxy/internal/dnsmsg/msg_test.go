package dnsmsg

import (
	"encoding/binary"
	"testing"
)

func TestNewQueryRoundTrip(t *testing.T) {
	q, err := NewQuery(0xBEEF, "Example.COM.", TypeAAAA)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.ID != 0xBEEF || len(m.Questions) != 1 {
		t.Fatalf("header = %+v, questions = %d", m.Header, len(m.Questions))
	}
	if got := m.Questions[0]; got.Name != "Example.COM" || got.Type != TypeAAAA {
		t.Fatalf("question = %+v", got)
	}
}

func TestReadNameCompression(t *testing.T) {
	msg := make([]byte, HeaderLen)
	msg, _ = appendName(msg, "example.org")
	ptr := len(msg)
	msg = append(msg, 3, 'w', 'w', 'w', 0xC0, HeaderLen)
	name, end, err := readName(msg, ptr)
	if err != nil {
		t.Fatal(err)
	}
	if name != "www.example.org" || end != len(msg) {
		t.Fatalf("got %q end=%d, want www.example.org end=%d", name, end, len(msg))
	}
}

func TestPointerLoop(t *testing.T) {
	msg := make([]byte, HeaderLen)
	msg = append(msg, 0xC0, HeaderLen)
	if _, _, err := readName(msg, HeaderLen); err != ErrPointerLoop {
		t.Fatalf("err = %v, want ErrPointerLoop", err)
	}
}

func TestMinTTLAndError(t *testing.T) {
	q, _ := NewQuery(7, "a.test", TypeA)
	resp := append([]byte(nil), q...)
	resp[2] |= 0x80
	binary.BigEndian.PutUint16(resp[6:], 2)
	for _, ttl := range []uint32{300, 60} {
		resp = append(resp, 0xC0, HeaderLen)
		resp = binary.BigEndian.AppendUint16(resp, TypeA)
		resp = binary.BigEndian.AppendUint16(resp, ClassINET)
		resp = binary.BigEndian.AppendUint32(resp, ttl)
		resp = append(resp, 0, 4, 192, 0, 2, 1)
	}
	if ttl, ok := MinTTL(resp); !ok || ttl != 60 {
		t.Fatalf("MinTTL = %d, %v", ttl, ok)
	}
	nx, err := ErrorResponse(q, RcodeNXDomain)
	if err != nil || Rcode(nx) != RcodeNXDomain || ID(nx) != 7 {
		t.Fatalf("ErrorResponse = %x, %v", nx, err)
	}
}
