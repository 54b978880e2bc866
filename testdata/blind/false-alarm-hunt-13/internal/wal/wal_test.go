package wal

import (
	"os"
	"path/filepath"
	"testing"
)

func writeTestSegment(t *testing.T, dir string, recs []Record) string {
	t.Helper()
	path := filepath.Join(dir, SegmentName(recs[0].Rev))
	if err := WriteSegment(path, recs); err != nil {
		t.Fatal(err)
	}
	return path
}

func readAll(t *testing.T, path string) []Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Record
	if _, err := replay(f, func(r Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatalf("replay %s: %v", path, err)
	}
	return out
}

func TestSegmentRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := writeTestSegment(t, dir, []Record{{Rev: 1, Key: "a", Value: []byte("x")}, {Rev: 2, Key: "a", Delete: true}})
	got := readAll(t, path)
	if len(got) != 2 || got[1].Key != "a" || !got[1].Delete {
		t.Fatalf("got %+v", got)
	}
}

func TestTornTailIsCorrupt(t *testing.T) {
	dir := t.TempDir()
	path := writeTestSegment(t, dir, []Record{{Rev: 1, Key: "a", Value: []byte("xyz")}})
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, fi.Size()-2); err != nil {
		t.Fatal(err)
	}
	if _, err := ReplayFile(path, func(Record) error { return nil }); err == nil {
		t.Fatal("expected corruption error")
	}
}

func TestExportSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.wal.gz")
	recs := []Record{{Rev: 5, Key: "k", Value: []byte("v")}}
	if err := ExportSnapshot(path, recs); err != nil {
		t.Fatal(err)
	}
	n, err := ReadArchive(path, func(Record) error { return nil })
	if err != nil || n != 1 {
		t.Fatalf("ReadArchive = %d, %v", n, err)
	}
}

func TestLastRevEmptyDir(t *testing.T) {
	rev, err := LastRev(t.TempDir())
	if err != nil || rev != 0 {
		t.Fatalf("LastRev = %d, %v", rev, err)
	}
}
