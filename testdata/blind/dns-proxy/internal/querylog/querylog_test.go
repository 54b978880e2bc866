package querylog

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRotatorRotates(t *testing.T) {
	dir := t.TempDir()
	r, err := NewRotator(dir, "q", 200, 5)
	if err != nil {
		t.Fatal(err)
	}
	r.compress = false
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	e := Entry{Time: time.Unix(0, 0), Client: "192.0.2.1:5353", Proto: "udp", Name: "example.com", Type: 1}
	for i := 0; i < 10; i++ {
		if _, err := r.Write([]byte(e.String())); err != nil {
			t.Fatal(err)
		}
	}
	rotated, _ := filepath.Glob(filepath.Join(dir, "q-*.log"))
	if len(rotated) == 0 {
		t.Fatal("no rotated segments")
	}
}

func TestCompressFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "in.log")
	if err := os.WriteFile(src, []byte(strings.Repeat("line\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := src + ".gz"
	if err := CompressFile(src, dst); err != nil {
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
	if err != nil || len(data) != 500 {
		t.Fatalf("read %d bytes, %v", len(data), err)
	}
}
