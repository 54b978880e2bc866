package history

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func sampleEvents(first uint64, n int) []Event {
	evs := make([]Event, n)
	ts := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range evs {
		evs[i] = Event{
			Seq:        first + uint64(i),
			WorkflowID: "wf-1",
			Kind:       ActivityCompleted,
			Time:       ts.Add(time.Duration(i) * time.Second),
			Payload:    json.RawMessage(`{"ok":true}`),
		}
	}
	return evs
}

func TestSegmentCommitAndRead(t *testing.T) {
	dir := t.TempDir()
	w, err := CreateSegment(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range sampleEvents(1, 5) {
		if err := w.Append(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSegment(filepath.Join(dir, segmentName(1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[4].Seq != 5 {
		t.Fatalf("read back %d events, last %+v", len(got), got[len(got)-1])
	}
	if _, err := os.Stat(filepath.Join(dir, segmentName(1)+".tmp")); !os.IsNotExist(err) {
		t.Fatalf("temporary file still present: %v", err)
	}
}

func TestAppendRejectsGaps(t *testing.T) {
	w, err := CreateSegment(t.TempDir(), 10)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Append(sampleEvents(11, 1)[0]); err == nil {
		t.Fatal("append with a gap succeeded")
	}
}

func TestCompressRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		n    int
	}{
		{"single", 1},
		{"several", 40},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, segmentName(1))
			if err := WriteSegmentFile(src, sampleEvents(1, tc.n)); err != nil {
				t.Fatal(err)
			}
			dst := src + ".gz"
			if err := CompressSegment(src, dst); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(dst)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			magic := make([]byte, 2)
			if _, err := io.ReadFull(f, magic); err != nil || magic[0] != 0x1f || magic[1] != 0x8b {
				t.Fatalf("%s is not a gzip file (%x, %v)", dst, magic, err)
			}
			got, err := ReadArchived(dst)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.n {
				t.Fatalf("got %d events, want %d", len(got), tc.n)
			}
		})
	}
}

func TestLogRotates(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range sampleEvents(0, 7) {
		if _, err := l.Append(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	n, err := CountEvents(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Fatalf("CountEvents = %d, want 7", n)
	}
	if got := l.Index().Len(); got != 2 {
		t.Fatalf("index has %d sealed segments, want 2", got)
	}
}
