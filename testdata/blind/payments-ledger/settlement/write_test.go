package settlement

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func sampleBatch() *Batch {
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	return &Batch{ID: "b1", Date: at, Rows: []Row{
		{EntryID: "e1", Account: "merchant:1", Amount: 1250, Currency: "EUR", PostedAt: at},
		{EntryID: "e1", Account: "clearing", Amount: -1250, Currency: "EUR", PostedAt: at},
	}}
}

func TestWriteGzipCSVRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b1.csv.gz")
	if err := WriteGzipCSV(path, sampleBatch()); err != nil {
		t.Fatalf("WriteGzipCSV: %v", err)
	}
	got, err := ReadBatch(path)
	if err != nil {
		t.Fatalf("ReadBatch: %v", err)
	}
	if len(got.Rows) != 2 || got.Rows[0].Amount != 1250 {
		t.Fatalf("rows = %+v", got.Rows)
	}
	if err := got.Balanced(); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyFilesDetectsTampering(t *testing.T) {
	dir := t.TempDir()
	if err := WriteCSV(filepath.Join(dir, "b1.csv"), sampleBatch()); err != nil {
		t.Fatal(err)
	}
	sum, err := Checksum(filepath.Join(dir, "b1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b1.csv"), []byte("tampered\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad, err := VerifyFiles(dir, map[string]string{"b1.csv": sum})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 {
		t.Fatalf("mismatched = %v, want [b1.csv]", bad)
	}
}

func TestFilterKeepsOneDay(t *testing.T) {
	b := sampleBatch()
	b.Rows = append(b.Rows, Row{EntryID: "e2", Account: "x", Amount: 1, Currency: "EUR", PostedAt: b.Date.AddDate(0, 0, 1)})
	day := b.Filter(b.Date)
	if len(day.Rows) != 2 {
		t.Fatalf("Filter kept %d rows, want 2", len(day.Rows))
	}
}
