package sink

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestDirRoundTrip(t *testing.T) {
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CopyFrom(d, "a/b.txt", bytes.NewBufferString("hello")); err != nil {
		t.Fatal(err)
	}
	got, err := ReadAll(d, "a/b.txt")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "hello" {
		t.Fatalf("got %q", got)
	}
}

func TestGzipStream(t *testing.T) {
	root := t.TempDir()
	d, err := NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	g := Gzip{Sink: d}
	if err := WriteLines(g, "lines", []string{"x", "y"}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(root, "lines.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "x\ny\n" {
		t.Fatalf("got %q", b)
	}
}

func TestInvalidName(t *testing.T) {
	d := &Dir{Root: t.TempDir()}
	for _, name := range []string{"", "../x", "/etc/passwd"} {
		if _, err := d.Create(name); err == nil {
			t.Errorf("Create(%q) succeeded", name)
		}
	}
}
