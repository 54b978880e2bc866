package archive

import (
	"bytes"
	"path/filepath"
	"testing"
)

func TestWriteReadGzip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.gz")
	want := []byte("hello segment")
	if err := WriteGzip(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadGzip(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestPackFilesOrdered(t *testing.T) {
	var buf bytes.Buffer
	if err := PackFilesOrdered(&buf, map[string][]byte{"a.txt": []byte("a")}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() == 0 {
		t.Fatal("empty archive")
	}
}
