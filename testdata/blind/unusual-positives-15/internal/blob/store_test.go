package blob

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := NewStore(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPutOpenRoundTrip(t *testing.T) {
	s := newTestStore(t)
	if err := s.Put("a/b.txt", strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	n, err := s.Size("a/b.txt")
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Fatalf("size = %d, want 5", n)
	}
}

func TestOpenGzip(t *testing.T) {
	s := newTestStore(t)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte("compressed")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("c.gz", &buf); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReadFallback("missing", "c.gz")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "compressed" {
		t.Fatalf("got %q", got)
	}
}

func TestWriteJSONFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	want := Manifest{Entries: []Entry{{Key: "x", Kind: KindBlob, Sum: "00"}}}
	if err := WriteJSONFile(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := LoadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != 1 || got.Entries[0].Key != "x" {
		t.Fatalf("got %+v", got)
	}
}

func TestVerifyEachReportsMismatch(t *testing.T) {
	s := newTestStore(t)
	if err := s.Put("k", strings.NewReader("v")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(s.root, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	m := &Manifest{Entries: []Entry{
		{Key: "k", Kind: KindBlob, Sum: "bogus"},
		{Key: "d", Kind: KindDir},
	}}
	var bad []string
	n := s.VerifyEach(m, func(e Entry, err error) { bad = append(bad, e.Key) })
	if n != 1 || len(bad) != 1 || bad[0] != "k" {
		t.Fatalf("VerifyEach = %d %v", n, bad)
	}
}
