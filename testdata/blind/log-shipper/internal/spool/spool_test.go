package spool

import (
	"compress/gzip"
	"io"
	"os"
	"testing"
	"time"

	"example.com/logship/internal/parse"
)

func TestWriteReadChunk(t *testing.T) {
	s, err := Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	in := []parse.Record{
		{Time: time.Unix(1, 0).UTC(), Level: "info", Message: "a", Source: "x.log", Offset: 2},
		{Time: time.Unix(2, 0).UTC(), Level: "warn", Message: "b", Source: "x.log", Offset: 4},
	}
	name, err := s.Write(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.ReadChunk(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[1].Message != "b" || out[1].Offset != 4 {
		t.Fatalf("round trip: %+v", out)
	}
}

func TestOpenContinuesSequence(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.WriteCompressed([]byte("{}\n"))
	if err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if next := s2.nextName(); next <= first {
		t.Fatalf("next name %s not after %s", next, first)
	}
}

func TestExportIsValidGzip(t *testing.T) {
	s, err := Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.WriteCompressed([]byte("1\n"))
	b, _ := s.WriteCompressed([]byte("2\n"))
	dst := s.Path("export.gz")
	if err := s.Export(dst, []string{a, b}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "1\n2\n" {
		t.Fatalf("export = %q", data)
	}
}
