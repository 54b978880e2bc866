package fqueue

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func openTemp(t *testing.T, opts Options) *Queue {
	t.Helper()
	q, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Close() })
	return q
}

func TestAppendRotateReplay(t *testing.T) {
	var rotations int
	q := openTemp(t, Options{MaxSegmentBytes: 64, OnRotate: func(uint64, uint64) { rotations++ }})
	for i := range 20 {
		if err := q.Append([]byte(fmt.Sprintf("record-%02d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if rotations == 0 {
		t.Fatal("expected rotation")
	}
	n, err := q.Count()
	if err != nil || n != 20 {
		t.Fatalf("count = %d, %v", n, err)
	}
	head, err := q.Head(2)
	if err != nil || len(head) != 2 || !bytes.Equal(head[1], []byte("record-01")) {
		t.Fatalf("head = %q, %v", head, err)
	}
}

func TestAppendAllFlushesNewTail(t *testing.T) {
	q := openTemp(t, Options{MaxSegmentBytes: 32})
	recs := [][]byte{[]byte("aaaaaaaaaaaa"), []byte("bbbbbbbbbbbb"), []byte("cccccccccccc")}
	if err := q.AppendAll(recs); err != nil {
		t.Fatal(err)
	}
	n, err := q.Count()
	if err != nil || n != 3 {
		t.Fatalf("count = %d, %v", n, err)
	}
}

func TestIndexRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if err := Commit(dir, "c1", Cursor{Segment: 3, Record: 7}); err != nil {
		t.Fatal(err)
	}
	idx, err := ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := idx.Consumers["c1"]; got.Segment != 3 || got.Record != 7 {
		t.Fatalf("cursor = %+v", got)
	}
}

func TestArchiveRestore(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "seg")
	if err := os.WriteFile(src, bytes.Repeat([]byte("x"), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(dir, "seg.gz")
	if err := ArchiveSegment(src, gz); err != nil {
		t.Fatal(err)
	}
	if n, err := ArchivedSize(gz); err != nil || n != 1000 {
		t.Fatalf("size = %d, %v", n, err)
	}
	back := filepath.Join(dir, "seg.back")
	if err := Restore(gz, back); err != nil {
		t.Fatal(err)
	}
}
