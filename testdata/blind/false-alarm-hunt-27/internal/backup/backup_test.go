package backup

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.tsv.gz")
	rows := [][]string{{"1", "ada@example.com"}, {"2", "bob@example.com"}}
	if err := WriteSnapshotGz(path, rows); err != nil {
		t.Fatalf("WriteSnapshotGz: %v", err)
	}
	got, err := ReadSnapshotGz(path)
	if err != nil {
		t.Fatalf("ReadSnapshotGz: %v", err)
	}
	if !reflect.DeepEqual(got, rows) {
		t.Fatalf("round trip = %v, want %v", got, rows)
	}
}

func TestManifestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "manifest.json")
	want := Manifest{Tables: []string{"orders", "users"}, Rows: map[string]int{"users": 2}, Created: time.Unix(1700000000, 0).UTC()}
	if err := WriteManifest(path, want); err != nil {
		t.Fatalf("WriteManifest: %v", err)
	}
	got, err := ReadManifest(path)
	if err != nil {
		t.Fatalf("ReadManifest: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("manifest = %+v, want %+v", got, want)
	}
}

func TestPruneKeepsNewest(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"20240101.tsv.gz", "20240102.tsv.gz", "20240103.tsv.gz"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n, err := Prune(dir, 1)
	if err != nil || n != 2 {
		t.Fatalf("Prune = %d, %v; want 2", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "20240103.tsv.gz")); err != nil {
		t.Fatalf("newest dump removed: %v", err)
	}
}

func TestJournalAppendAndRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal")
	for _, line := range []string{"a", "b", "c"} {
		if err := AppendJournal(path, line); err != nil {
			t.Fatalf("AppendJournal: %v", err)
		}
	}
	got, err := ReadJournal(path, 1)
	if err != nil {
		t.Fatalf("ReadJournal: %v", err)
	}
	if !reflect.DeepEqual(got, []string{"b", "c"}) {
		t.Fatalf("ReadJournal = %v", got)
	}
}
