package journal

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestAppendThenReplay(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if _, err := w.Append(context.Background(), []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got []byte
	err = Replay(dir, 4, func(r Record) error {
		got = append(got, r.Payload...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, []byte{3, 4, 5, 6, 7, 8, 9}) {
		t.Fatalf("replayed %v", got)
	}
}

func TestChecksumMismatchIsDetected(t *testing.T) {
	dir := t.TempDir()
	buf := appendRecord(nil, Record{Seq: 1, Payload: []byte("order")})
	buf[len(buf)-1] ^= 0xff
	path := filepath.Join(dir, segmentName(1))
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := checkSegment(path); err == nil {
		t.Fatal("corrupt record accepted")
	}
}

func TestSegmentNames(t *testing.T) {
	name := segmentName(42)
	n, ok := parseSegmentName(name)
	if !ok || n != 42 {
		t.Fatalf("parse(%q) = %d, %v", name, n, ok)
	}
	if _, ok := parseSegmentName("notes.txt"); ok {
		t.Fatal("accepted a foreign file")
	}
}

func TestReopenContinuesSequence(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Append(context.Background(), []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	w2, err := Open(dir, Options{})
	defer w2.Close() // HAZ defer-before-error-check
	if err != nil {
		t.Fatal(err)
	}
	seq, err := w2.Append(context.Background(), []byte("second"))
	if err != nil {
		t.Fatal(err)
	}
	if seq != 2 {
		t.Fatalf("sequence after reopen = %d, want 2", seq)
	}
}
