package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDepositWithdraw(t *testing.T) {
	l := New()
	if err := l.Open("acme", 100); err != nil {
		t.Fatal(err)
	}
	if err := l.Deposit("acme", 50); err != nil {
		t.Fatal(err)
	}
	if err := l.Withdraw("acme", 30); err != nil {
		t.Fatal(err)
	}
	got, err := l.Balance("acme")
	if err != nil {
		t.Fatal(err)
	}
	if got != 120 {
		t.Fatalf("Balance = %d, want 120", got)
	}
	if n := len(l.Journal()); n != 2 {
		t.Fatalf("journal has %d entries, want 2", n)
	}
	if n := len(l.AuditTrail()); n != 2 {
		t.Fatalf("audit trail has %d lines, want 2", n)
	}
}

func TestDepositUnknown(t *testing.T) {
	l := New()
	if err := l.Deposit("ghost", 1); !errors.Is(err, ErrUnknown) {
		t.Fatalf("Deposit to unknown account: %v", err)
	}
}

func TestStatements(t *testing.T) {
	l := New()
	for _, id := range []string{"a", "b", "c"} {
		if err := l.Open(id, 1); err != nil {
			t.Fatal(err)
		}
	}
	seen := make(chan string, 3)
	if n := l.Statements(func(a Account) { seen <- a.ID }); n != 3 {
		t.Fatalf("Statements visited %d accounts", n)
	}
	close(seen)
	got := map[string]bool{}
	for id := range seen {
		got[id] = true
	}
	if len(got) != 3 {
		t.Fatalf("saw %v, want a, b and c", got)
	}
}

func TestRecordAllFrozen(t *testing.T) {
	l := New()
	if err := l.RecordAll(Entry{From: "a", To: "b", Amount: 1}); err != nil {
		t.Fatal(err)
	}
	l.Freeze()
	if err := l.RecordAll(Entry{From: "a", To: "b", Amount: 1}); !errors.Is(err, ErrFrozen) {
		t.Fatalf("RecordAll on a frozen ledger: %v", err)
	}
}

func TestExportBalances(t *testing.T) {
	l := New()
	if err := l.Open("a", 5); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "balances.txt")
	if err := l.ExportBalances(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "a 5\n" {
		t.Fatalf("export = %q", data)
	}
}
