package archive

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func makeTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{"a.txt": "alpha", "sub/b.txt": "beta"}
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestTarGzRoundTrip(t *testing.T) {
	root := makeTree(t)
	dst := filepath.Join(t.TempDir(), "out.tar.gz")
	if err := BuildTarGz(dst, root); err != nil {
		t.Fatal(err)
	}
	names, err := ListTarGz(dst)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.txt", "sub/b.txt"}; !slices.Equal(names, want) {
		t.Fatalf("names = %v, want %v", names, want)
	}
	out := t.TempDir()
	if err := ExtractTarGz(dst, out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(out, "sub", "b.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "beta" {
		t.Fatalf("b.txt = %q", got)
	}
}

func TestZipRoundTrip(t *testing.T) {
	root := makeTree(t)
	dst := filepath.Join(t.TempDir(), "out.zip")
	if err := BuildZip(dst, root); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	n, err := ExtractZip(dst, out)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("extracted %d files, want 2", n)
	}
	size, err := ZipSize(dst)
	if err != nil {
		t.Fatal(err)
	}
	if size != uint64(len("alpha")+len("beta")) {
		t.Fatalf("size = %d", size)
	}
}

func TestSafeJoinRejectsEscapes(t *testing.T) {
	for _, name := range []string{"../x", "/etc/passwd", "a/../../b"} {
		if _, err := safeJoin("/tmp/out", name); err == nil {
			t.Errorf("safeJoin accepted %q", name)
		}
	}
}

func TestCompressGunzip(t *testing.T) {
	var buf bytes.Buffer
	if _, err := Compress(&buf, strings.NewReader("hello hello hello")); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "x.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ok, err := IsGzip(p)
	if err != nil || !ok {
		t.Fatalf("IsGzip = %v, %v", ok, err)
	}
	dst, err := GunzipFile(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "hello hello hello" {
		t.Fatalf("got %q", got)
	}
}
