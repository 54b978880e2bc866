package reconcile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sample() []Discrepancy {
	return []Discrepancy{
		{NetworkRef: "n1", Merchant: "m1", Ledger: 100, Network: 90, Reason: "amount_mismatch"},
		{NetworkRef: "n2", Merchant: "m2", Network: 50, Reason: "missing_in_ledger"},
	}
}

func TestExportCompressedRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.csv.gz")
	if err := ExportCompressed(path, sample()); err != nil {
		t.Fatal(err)
	}
	recs, err := ReadArchive(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[1][0] != "n1" {
		t.Fatalf("records = %v", recs)
	}
}

func TestEncodeDiscrepancies(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeDiscrepancies(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "network_ref,merchant") {
		t.Fatalf("output = %q", buf.String())
	}
}

func TestReportWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.csv")
	w, err := CreateReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteAll(sample()); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(data), "\n"); got != 3 {
		t.Fatalf("lines = %d", got)
	}
}

func TestMatch(t *testing.T) {
	rows := []Row{{NetworkRef: "a", Amount: 10}, {NetworkRef: "b", Amount: 20}}
	matched, ds := Match(map[string]int64{"a": 10, "b": 25, "c": 5}, rows)
	if matched != 1 || len(ds) != 2 {
		t.Fatalf("matched=%d ds=%+v", matched, ds)
	}
}

func TestAcquireLockIsExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reconcile.lock")
	release, err := AcquireLock(path)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := AcquireLock(path); err != ErrLocked {
		t.Fatalf("second lock err = %v", err)
	}
}
