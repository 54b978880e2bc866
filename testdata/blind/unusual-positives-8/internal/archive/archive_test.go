package archive

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDescribeAndVerify(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.bin": "aaa", "b.bin": "bb"})
	src := DirSource(dir)
	m, err := Describe(src, "v1", []string{"a.bin", "b.bin"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 2 || m.Files[0].Size != 3 {
		t.Fatalf("manifest = %+v", m)
	}
	bad, err := Verify(src, m)
	if err != nil || len(bad) != 0 {
		t.Fatalf("Verify = %v, %v", bad, err)
	}
}

func TestWriteIndexAndLoad(t *testing.T) {
	dir := t.TempDir()
	m := Manifest{Release: "v1", Files: []FileInfo{{Name: "x"}, {Name: "y"}}}
	if err := WriteIndex(filepath.Join(dir, "index.txt"), m); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "index.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "x\ny\n" {
		t.Fatalf("index = %q", data)
	}
}

func TestEncodeRecordsChecked(t *testing.T) {
	var buf bytes.Buffer
	n, err := EncodeRecordsChecked(&buf, []Record{{Artifact: "a", Client: "c", Bytes: 1}})
	if err != nil || n == 0 {
		t.Fatalf("EncodeRecordsChecked = %d, %v", n, err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(plain), `"artifact":"a"`) {
		t.Fatalf("decoded %q", plain)
	}
}

func TestPackDir(t *testing.T) {
	dir := writeTree(t, map[string]string{"one.txt": "1"})
	dst := filepath.Join(t.TempDir(), "out.tar.gz")
	if err := PackDir(dst, dir); err != nil {
		t.Fatal(err)
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, Manifest{Files: []FileInfo{{Name: "a", Size: 1, SHA256: "ff"}}}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "name,size,sha256\na,1,ff\n" {
		t.Fatalf("csv = %q", got)
	}
}
