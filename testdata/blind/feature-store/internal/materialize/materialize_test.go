package materialize

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func sampleGroup() *RowGroup {
	return &RowGroup{
		EntityIDs:  []string{"u1", "u2"},
		Timestamps: []int64{100, 200},
		Columns: []Column{
			{Name: "clicks_7d", Values: []float64{3, 9}},
			{Name: "ctr", Values: []float64{0.1, 0.25}},
		},
	}
}

func TestRowGroupRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRowGroup(&buf, sampleGroup()); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRowGroup(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows() != 2 || got.Columns[1].Values[1] != 0.25 {
		t.Fatalf("round trip mismatch: %+v", got)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.gz")
	if err := WriteSnapshot(path, []*RowGroup{sampleGroup(), sampleGroup()}); err != nil {
		t.Fatal(err)
	}
	groups, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 {
		t.Fatalf("read %d groups, want 2", len(groups))
	}
}

func TestScanPartitionsStopsOnError(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "a"+PartitionExt)
	var buf bytes.Buffer
	if err := WriteRowGroup(&buf, sampleGroup()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "b"+PartitionExt)
	if err := os.WriteFile(bad, []byte("nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	seen := 0
	err := ScanPartitions([]string{good, bad}, func(string, *RowGroup) error {
		seen++
		return nil
	})
	if err == nil || seen != 1 {
		t.Fatalf("seen=%d err=%v", seen, err)
	}
}
