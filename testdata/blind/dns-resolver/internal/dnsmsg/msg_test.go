package dnsmsg

import (
	"bytes"
	"testing"
)

func TestPackUnpackRoundTrip(t *testing.T) {
	q := NewQuery(0x1234, "Example.COM", TypeAAAA)
	r := q.Reply()
	data, err := EncodeRData(TypeAAAA, []string{"2001:db8::1"})
	if err != nil {
		t.Fatal(err)
	}
	r.Answer = append(r.Answer, RR{Name: "example.com.", Type: TypeAAAA, Class: ClassINET, TTL: 300, Data: data})

	b, err := r.Pack()
	if err != nil {
		t.Fatalf("Pack: %v", err)
	}
	got, err := Unpack(b)
	if err != nil {
		t.Fatalf("Unpack: %v", err)
	}
	if got.ID != 0x1234 || !got.Response || len(got.Answer) != 1 {
		t.Fatalf("unexpected message %+v", got)
	}
	if !bytes.Equal(got.Answer[0].Data, data) {
		t.Errorf("rdata = %x, want %x", got.Answer[0].Data, data)
	}
}

func TestUnpackRejectsGarbage(t *testing.T) {
	inputs := [][]byte{
		nil,
		{0, 1, 2},
		{0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c},
		bytes.Repeat([]byte{0xff}, 40),
	}
	for i, in := range inputs {
		if _, err := Unpack(in); err == nil {
			t.Errorf("input %d: expected an error", i)
		}
	}
}

func TestIsSubdomain(t *testing.T) {
	cases := []struct {
		child, parent string
		want          bool
	}{
		{"www.example.com", "example.com", true},
		{"example.com.", "example.com", true},
		{"badexample.com", "example.com", false},
		{"com", "example.com", false},
		{"anything", ".", true},
	}
	for _, c := range cases {
		t.Run(c.child+"_"+c.parent, func(t *testing.T) {
			t.Parallel()
			if got := IsSubdomain(c.child, c.parent); got != c.want {
				t.Errorf("IsSubdomain(%q, %q) = %v, want %v", c.child, c.parent, got, c.want)
			}
		})
	}
}

func TestTruncateSetsTC(t *testing.T) {
	m := NewQuery(1, "big.example.", TypeTXT).Reply()
	for range 40 {
		data, err := EncodeRData(TypeTXT, []string{"0123456789012345678901234567890123456789"})
		if err != nil {
			t.Fatal(err)
		}
		m.Answer = append(m.Answer, RR{Name: "big.example.", Type: TypeTXT, Class: ClassINET, TTL: 60, Data: data})
	}
	b, err := m.Truncate(512)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 512 {
		t.Fatalf("truncated message is %d octets", len(b))
	}
	got, err := Unpack(b)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Truncated {
		t.Error("TC bit not set")
	}
}
