package zone

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/dnsresolver/internal/dnsmsg"
)

const exampleZone = `$ORIGIN example.com.
$TTL 1h
@       IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
        IN NS  ns1
ns1     IN A   192.0.2.53
www  300 IN A  192.0.2.80
        IN AAAA 2001:db8::80
mail    IN MX  10 mx.example.net.
txt     IN TXT "v=spf1 -all" ; trailing comment
`

func writeZoneFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := f.WriteString(body); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestParseAndLookup(t *testing.T) {
	z, err := Parse(strings.NewReader(exampleZone), "example.com", "example.com.zone")
	if err != nil {
		t.Fatal(err)
	}
	if z.Serial() != 2024010101 {
		t.Errorf("serial = %d", z.Serial())
	}
	rrs, ok := z.Lookup("www.example.com", dnsmsg.TypeA)
	if !ok || len(rrs) != 1 || rrs[0].TTL != 300 {
		t.Fatalf("www A = %+v, %v", rrs, ok)
	}
	if got := FormatRData(rrs[0].Type, rrs[0].Data); got != "192.0.2.80" {
		t.Errorf("rdata = %q", got)
	}
}

func TestParseErrorHasLine(t *testing.T) {
	_, err := Parse(strings.NewReader("@ IN SOA a b 1 2 3 4 5\nbad IN A not-an-ip\n"), "example.org", "x.zone")
	pe, ok := err.(*ParseError)
	if !ok {
		t.Fatalf("err = %v, want *ParseError", err)
	}
	if pe.Line != 2 {
		t.Errorf("line = %d, want 2", pe.Line)
	}
}

func TestWriteFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := writeZoneFile(t, dir, "example.com.zone", exampleZone)
	z, err := LoadFile(src, "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "out.zone")
	if err := WriteFile(z, dst); err != nil {
		t.Fatal(err)
	}
	again, err := LoadFile(dst, "example.com.")
	if err != nil {
		t.Fatalf("reparse written zone: %v", err)
	}
	if len(again.Records()) != len(z.Records()) {
		t.Errorf("records = %d, want %d", len(again.Records()), len(z.Records()))
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".zone-*.tmp"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestJournalAppendAndEntries(t *testing.T) {
	j := OpenJournal(filepath.Join(t.TempDir(), "example.com.jnl"))
	rr := dnsmsg.RR{Name: "new.example.com.", Type: dnsmsg.TypeA, TTL: 60, Data: []byte{192, 0, 2, 9}}
	if err := j.AppendBatch([]Entry{{Serial: 2, Op: OpAdd, RR: rr}, {Serial: 3, Op: OpDelete, RR: rr}}); err != nil {
		t.Fatal(err)
	}
	got, err := j.Entries(2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Op != OpDelete {
		t.Fatalf("entries after 2 = %+v", got)
	}
}

func TestStoreFindClosestZone(t *testing.T) {
	s := NewStore(t.TempDir(), nil)
	s.Put(New("example.com."))
	s.Put(New("sub.example.com."))
	z, ok := s.Find("a.b.sub.example.com")
	if !ok || z.Origin != "sub.example.com." {
		t.Fatalf("Find = %v, %v", z, ok)
	}
	if _, ok := s.Find("example.net."); ok {
		t.Error("found a zone for example.net.")
	}
}
