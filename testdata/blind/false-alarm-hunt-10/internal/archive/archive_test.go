package archive

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

var testDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "archive-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBundleRoundTrip(t *testing.T) {
	a := writeTemp(t, "a.txt", "alpha")
	b := writeTemp(t, "b.txt", "bravo")
	out := filepath.Join(testDir, "rt.tgz")
	if err := WriteBundle(out, []File{{Name: "a", Path: a}, {Name: "b", Path: b}}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadBundle(out, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if string(got["a"]) != "alpha" || string(got["b"]) != "bravo" {
		t.Fatalf("got %q", got)
	}
}

func TestCompressStream(t *testing.T) {
	var buf bytes.Buffer
	if err := CompressStream(&buf, bytes.NewReader([]byte("hello hello hello"))); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("decompress: %v", err)
	}
	if string(b) != "hello hello hello" {
		t.Fatalf("got %q", b)
	}
}

func TestChecksumsRoundTrip(t *testing.T) {
	p := writeTemp(t, "data", "payload")
	sums, err := HashAll([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "SHA256SUMS")
	if err := AppendChecksums(out, sums); err != nil {
		t.Fatal(err)
	}
	back, err := ReadChecksums(out)
	if err != nil {
		t.Fatal(err)
	}
	if back[p] != sums[p] {
		t.Fatalf("digest mismatch: %q vs %q", back[p], sums[p])
	}
}
