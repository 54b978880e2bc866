package wal

import (
	"errors"
	"io"
	"log"
	"os"
	"testing"
)

func TestLogReplay(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir, 64, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if err := w.Log([]byte("sample-record")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	n := 0
	err = Replay(dir, func(rec []byte) error {
		if string(rec) != "sample-record" {
			t.Errorf("record %d = %q", n, rec)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 20 {
		t.Fatalf("replayed %d records, want 20", n)
	}
}

func TestReplayCorruption(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(SegmentName(dir, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(encodeRecord(nil, []byte("ok"))); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte{0, 0, 0, 4, 1, 2, 3, 4, 'b', 'a', 'd', '!'}); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	err = Replay(dir, func([]byte) error { return nil })
	var cerr *CorruptionErr
	if !errors.As(err, &cerr) {
		t.Fatalf("want CorruptionErr, got %v", err)
	}
	if cerr.Offset != recordHeaderSize+2 {
		t.Fatalf("offset = %d", cerr.Offset)
	}
}
