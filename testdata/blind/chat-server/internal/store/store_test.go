package store

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/chatserver/internal/proto"
)

func sample(n int) []proto.Message {
	out := make([]proto.Message, n)
	for i := range out {
		out[i] = proto.Message{Room: "#go", From: "bob", Text: "hello", At: time.UnixMilli(int64(1700000000000 + i))}
	}
	return out
}

func TestSaveLoadRoundTrip(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRoom("#go", sample(3)); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadRoom("#go")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("loaded %d messages, want 3", len(got))
	}
}

func TestCompactKeepsNewest(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRoom("#go", sample(10)); err != nil {
		t.Fatal(err)
	}
	if err := s.Compact("#go", 4); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadRoom("#go")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("after compact: %d messages, want 4", len(got))
	}
}

func TestArchiveFileIsValidGzip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.gz")
	if err := ArchiveFile(path, map[string][]proto.Message{"#go": sample(2)}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	msgs, err := decode(zr)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("decode archive: %d msgs, err %v", len(msgs), err)
	}
}
