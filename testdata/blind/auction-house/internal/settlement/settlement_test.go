package settlement

import (
	"path/filepath"
	"testing"
	"time"
)

func sampleEntries() []Entry {
	closed := time.Date(2024, 3, 1, 18, 0, 0, 0, time.UTC)
	return []Entry{
		{LotID: "L1", Winner: "alice", Amount: 12000, Fee: 600, ClosedAt: closed},
		{LotID: "L2", Winner: "bob", Amount: 500, Fee: 25, ClosedAt: closed},
	}
}

func TestWriteLedgerRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.csv")
	if err := WriteLedgerAtomic(path, sampleEntries()); err != nil {
		t.Fatal(err)
	}
	got, err := ReadLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Winner != "alice" || got[1].Fee != 25 {
		t.Fatalf("round trip: %+v", got)
	}
}

func TestAcquireLockIsExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settle.lock")
	release, err := AcquireLock(path)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := AcquireLock(path); err == nil {
		t.Fatal("second AcquireLock succeeded")
	}
}

func TestVerifyReportsBrokenLedger(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	if err := WriteLedger(good, sampleEntries()); err != nil {
		t.Fatal(err)
	}
	problems := Verify([]string{good, filepath.Join(dir, "missing.csv")})
	if len(problems) != 1 {
		t.Fatalf("problems = %v", problems)
	}
}
