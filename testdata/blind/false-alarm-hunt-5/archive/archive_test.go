package archive

import (
	"io"
	"log"
	"os"
	"path/filepath"
	"testing"
)

func writeTree(t *testing.T, root string, files map[string]string) []string {
	t.Helper()
	var names []string
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	return names
}

func TestTarGzRoundTrip(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	names := writeTree(t, src, map[string]string{"a.txt": "alpha", "dir/b.txt": "beta"})
	out := filepath.Join(t.TempDir(), "x.tar.gz")
	b := NewBuilder(log.New(io.Discard, "", 0))
	if err := b.CreateTarGz(out, src, names); err != nil {
		t.Fatal(err)
	}
	n, err := ExtractTarGz(out, dst)
	if err != nil || n != 2 {
		t.Fatalf("ExtractTarGz = %d, %v", n, err)
	}
	got, err := os.ReadFile(filepath.Join(dst, "dir", "b.txt"))
	if err != nil || string(got) != "beta" {
		t.Fatalf("b.txt = %q, %v", got, err)
	}
}

func TestZipRoundTrip(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	names := writeTree(t, src, map[string]string{"one": "1", "two": "22"})
	out := filepath.Join(t.TempDir(), "x.zip")
	if err := NewBuilder(log.New(io.Discard, "", 0)).CreateZip(out, src, names); err != nil {
		t.Fatal(err)
	}
	if n, err := ExtractZip(out, dst); err != nil || n != 2 {
		t.Fatalf("ExtractZip = %d, %v", n, err)
	}
}

func TestSafeJoinRejectsEscape(t *testing.T) {
	if _, err := safeJoin("/tmp/x", "../etc/passwd"); err == nil {
		t.Fatal("escape accepted")
	}
	if _, err := safeJoin("/tmp/x", "ok/file"); err != nil {
		t.Fatal(err)
	}
}

func TestSumsRoundTrip(t *testing.T) {
	root := t.TempDir()
	names := writeTree(t, root, map[string]string{"a": "x", "b": "y", "c": "z"})
	sums, err := SumFiles(root, names, 2)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "SHA256SUMS")
	if err := WriteSums(path, sums); err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseSums(path)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := VerifySums(root, parsed)
	if err != nil || len(bad) != 0 {
		t.Fatalf("VerifySums = %v, %v", bad, err)
	}
}
