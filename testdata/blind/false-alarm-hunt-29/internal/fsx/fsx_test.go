package fsx

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestWriteJSONAtomicRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "v.json")
	in := map[string]int{"a": 1}
	if err := WriteJSONAtomic(p, in); err != nil {
		t.Fatal(err)
	}
	var out map[string]int
	if err := ReadJSON(p, &out); err != nil {
		t.Fatal(err)
	}
	if out["a"] != 1 {
		t.Fatalf("read back %v", out)
	}
}

func TestCompressAndZip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.txt")
	if err := WriteLines(src, []string{"one", "two"}); err != nil {
		t.Fatal(err)
	}
	if err := CompressFile(src+".gz", src); err != nil {
		t.Fatal(err)
	}
	zp := filepath.Join(dir, "a.zip")
	if err := ZipFiles(zp, []string{src}); err != nil {
		t.Fatal(err)
	}
	names, err := ListZip(zp)
	if err != nil || !slices.Equal(names, []string{"src.txt"}) {
		t.Fatalf("ListZip = %v, %v", names, err)
	}
}

func TestRotatorRotates(t *testing.T) {
	dir := t.TempDir()
	r, err := OpenRotator(dir, 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	if err := r.WriteBatch([]string{"aaaa", "bbbb", "cccc"}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 2 {
		t.Fatalf("got %d files, want a rotation", len(entries))
	}
}
