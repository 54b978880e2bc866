package snapshot

import (
	"bytes"
	"compress/flate"
	"path/filepath"
	"testing"
	"time"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/ot"
)

func TestWriteLoadRoundTrip(t *testing.T) {
	w, err := NewWriter(t.TempDir(), flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	in := doc.Snapshot{ID: "plan", Title: "Plan", Text: "ship it", Version: 12, Updated: time.Unix(1700000000, 0).UTC()}
	if err := w.Write(in); err != nil {
		t.Fatal(err)
	}
	out, err := Load(filepath.Join(w.Dir(), "plan"+Ext))
	if err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Fatalf("Load = %+v, want %+v", out, in)
	}
	if errs := VerifyAll(w.Dir()); len(errs) != 0 {
		t.Fatalf("VerifyAll: %v", errs)
	}
}

func TestDecodeRejectsTruncated(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString(magic)
	if err := Encode(&buf, doc.Snapshot{ID: "x", Text: "hello"}, flate.DefaultCompression); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	if _, err := Decode(bytes.NewReader(raw[:len(raw)-2])); err == nil {
		t.Fatal("Decode accepted a truncated stream")
	}
}

func TestJournalReplay(t *testing.T) {
	w, err := NewWriter(t.TempDir(), flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	ops := []ot.Op{{Kind: ot.Insert, Text: "a"}, {Kind: ot.Insert, Pos: 1, Text: "b"}}
	if err := w.AppendJournal("d", ops); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJournal(filepath.Join(w.Dir(), "d"+JournalExt))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ops) {
		t.Fatalf("ReadJournal returned %d ops, want %d", len(got), len(ops))
	}
}
