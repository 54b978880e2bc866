package wal

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
)

func openTestLog(t *testing.T, opts Options) *Log {
	t.Helper()
	l, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return l
}

func TestAppendRead(t *testing.T) {
	l := openTestLog(t, Options{})
	for i := 0; i < 10; i++ {
		off, err := l.AppendBatch([][]byte{[]byte(fmt.Sprintf("v%d", i))})
		if err != nil {
			t.Fatal(err)
		}
		if off != int64(i) {
			t.Fatalf("offset = %d, want %d", off, i)
		}
	}
	rec, err := l.Read(4)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rec.Value, []byte("v4")) {
		t.Fatalf("value = %q", rec.Value)
	}
}

func TestRollSegments(t *testing.T) {
	l := openTestLog(t, Options{SegmentBytes: 128})
	for i := 0; i < 50; i++ {
		if _, err := l.AppendBatch([][]byte{bytes.Repeat([]byte{'x'}, 32)}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(l.Segments()); n < 2 {
		t.Fatalf("segments = %d, want rolled", n)
	}
	if err := l.VerifyAll(); err != nil {
		t.Fatal(err)
	}
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.AppendBatch([][]byte{[]byte("a"), []byte("b")}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if got := l2.NextOffset(); got != 2 {
		t.Fatalf("next = %d, want 2", got)
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cp.json")
	want := Checkpoint{NextOffset: 9, OldestOffset: 3, Segments: []int64{3, 6}}
	if err := WriteCheckpoint(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.NextOffset != want.NextOffset || len(got.Segments) != 2 {
		t.Fatalf("got %+v", got)
	}
}

func TestCompactKeepsLatest(t *testing.T) {
	l := openTestLog(t, Options{SegmentBytes: 96})
	for i := 0; i < 12; i++ {
		if _, err := l.AppendBatch([][]byte{[]byte("x")}); err != nil {
			t.Fatal(err)
		}
	}
	latest, err := l.compactSegmentsScoped(l.Segments())
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) != 0 {
		t.Fatalf("unkeyed records should not appear: %v", latest)
	}
}
