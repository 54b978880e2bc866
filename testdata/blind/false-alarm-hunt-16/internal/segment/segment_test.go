package segment

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReadLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lines.txt")
	want := []string{"alpha", "beta", "gamma"}
	if err := WriteLines(path, want); err != nil {
		t.Fatal(err)
	}
	if err := AppendRecord(path, []byte("delta\n")); err != nil {
		t.Fatal(err)
	}
	got, err := ReadLines(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[3] != "delta" {
		t.Fatalf("ReadLines = %q", got)
	}
}

func TestCompressedRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blob.gz")
	payload := bytes.Repeat([]byte("relay "), 1000)
	if err := WriteCompressed(path, payload); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCompressed(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, payload) {
		t.Fatalf("round trip changed %d bytes into %d", len(payload), len(got))
	}
}

func TestFirstExisting(t *testing.T) {
	dir := t.TempDir()
	second := filepath.Join(dir, "b.conf")
	if err := os.WriteFile(second, []byte("listen=:9000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	name, data, err := FirstExisting([]string{filepath.Join(dir, "a.conf"), second})
	if err != nil {
		t.Fatal(err)
	}
	if name != second || string(data) != "listen=:9000\n" {
		t.Fatalf("got %s %q", name, data)
	}
}

func TestWriterRotates(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, 16)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := w.Write([]byte("0123456789\n")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if st := w.Stats(); st.Rotations != 4 || st.Records != 5 {
		t.Fatalf("stats = %+v", st)
	}
}
