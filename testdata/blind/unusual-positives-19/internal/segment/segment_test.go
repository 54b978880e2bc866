package segment

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func sampleRecords(topics ...string) []Record {
	recs := make([]Record, 0, len(topics))
	for i, tp := range topics {
		recs = append(recs, Record{Seq: uint64(i + 1), Topic: tp, Payload: json.RawMessage(`{"n":1}`)})
	}
	return recs
}

func TestArchiveRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seg.gz")
	want := sampleRecords("a", "b", "a")
	if err := Archive(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadArchive(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
}

func TestArchiveToBuffer(t *testing.T) {
	var buf bytes.Buffer
	if err := ArchiveTo(&buf, sampleRecords("x")); err != nil {
		t.Fatal(err)
	}
	if buf.Len() == 0 {
		t.Fatal("empty archive")
	}
}

func TestScanDirCounts(t *testing.T) {
	cases := []struct {
		name   string
		topics []string
		want   map[string]int
	}{
		{"single", []string{"a"}, map[string]int{"a": 1}},
		{"mixed", []string{"a", "b", "a"}, map[string]int{"a": 2, "b": 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			f, err := os.Create(filepath.Join(dir, "00000000000000000001.seg"))
			if err != nil {
				t.Fatal(err)
			}
			enc := json.NewEncoder(f)
			for _, r := range sampleRecords(tc.topics...) {
				if err := enc.Encode(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := ScanDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s: got %d, want %d", k, got[k], v)
				}
			}
		})
	}
}

func TestWriterAppendAndClose(t *testing.T) {
	w, err := NewWriter(t.TempDir(), 1<<20, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	seq, err := w.Append(Record{Topic: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if seq != 1 {
		t.Errorf("seq = %d, want 1", seq)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
