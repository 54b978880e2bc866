package spool

import (
	"bytes"
	"path/filepath"
	"testing"
)

func TestAppendRotate(t *testing.T) {
	dir := t.TempDir()
	sp, err := Open(dir, 32)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	for i := 0; i < 10; i++ {
		if err := sp.AppendBatch([][]byte{[]byte("0123456789")}); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	if len(sp.Sealed()) == 0 {
		t.Fatal("no segment was sealed")
	}
}

func TestArchiveTo(t *testing.T) {
	dir := t.TempDir()
	sp, err := Open(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := sp.AppendBatch([][]byte{[]byte("hello")}); err != nil {
		t.Fatal(err)
	}
	if err := sp.Rotate(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	names := sp.Sealed()
	out := filepath.Join(t.TempDir(), "a.gz")
	if err := sp.ArchiveTo(names[0], out); err != nil {
		t.Fatal(err)
	}
	n, err := CountRecordsStrict(filepath.Join(dir, names[0]))
	if err != nil || n != 1 {
		t.Fatalf("CountRecordsStrict = %d, %v", n, err)
	}
	var buf bytes.Buffer
	if err := sp.Head(&buf, names[0], 3); err != nil || buf.String() != "hel" {
		t.Fatalf("Head = %q, %v", buf.String(), err)
	}
}
