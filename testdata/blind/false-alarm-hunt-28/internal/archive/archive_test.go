package archive

import (
	"os"
	"path/filepath"
	"testing"
)

func TestTarGzRoundTrip(t *testing.T) {
	src := t.TempDir()
	files := []string{"bin/tool", "README"}
	for _, name := range files {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("content of "+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tarball := filepath.Join(t.TempDir(), "out.tar.gz")
	if err := WriteTarGz(tarball, src, files); err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	if err := ExtractTarGz(tarball, dst); err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		got, err := os.ReadFile(filepath.Join(dst, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "content of "+name {
			t.Errorf("%s: got %q", name, got)
		}
	}
}

func TestZipChecksums(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.zip")
	if err := WriteZip(path, map[string][]byte{"a": []byte("x"), "b": nil}); err != nil {
		t.Fatal(err)
	}
	sums, err := ZipChecksums(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 2 {
		t.Fatalf("got %d sums, want 2", len(sums))
	}
}

func TestSafeJoinRejectsEscape(t *testing.T) {
	if _, err := safeJoin("/tmp/x", "../etc/passwd"); err == nil {
		t.Fatal("expected an error for an escaping entry")
	}
}
