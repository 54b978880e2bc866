package export

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteBatchSyncedRoundTrip(t *testing.T) {
	dir := t.TempDir()
	b := Batch{Day: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Source: "app", Records: [][]byte{[]byte("a"), []byte("b")}}
	if err := WriteBatchSynced(dir, b); err != nil {
		t.Fatal(err)
	}
	r, err := os.ReadFile(filepath.Join(dir, b.File()))
	if err != nil {
		t.Fatal(err)
	}
	if string(r) != "a\nb\n" {
		t.Fatalf("file = %q", r)
	}
}

func TestArchiveIsValidGzip(t *testing.T) {
	dir := t.TempDir()
	seg := filepath.Join(dir, "seg-00000001.log")
	if err := os.WriteFile(seg, []byte("x\ny\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Archive(&buf, []string{seg}); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "x\ny\n" {
		t.Fatalf("archive holds %q", got)
	}
}
