package ledger

import (
	"context"
	"testing"
)

func openTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open("test-" + t.Name())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPostRefundBooksBothLegs(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	if err := s.PostRefund(ctx, Refund{ID: "rf_1", ChargeID: "ch_1", Merchant: "m1", Amount: 500, Currency: "EUR"}); err != nil {
		t.Fatalf("refund: %v", err)
	}
	entries, err := s.EntriesFor(ctx, "merchant:m1")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Amount != -500 {
		t.Fatalf("entries = %+v", entries)
	}
}

func TestStatementAndPurge(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	batch := []Entry{
		{ID: "e1", Account: "a", Amount: 10, Currency: "EUR", Kind: "credit"},
		{ID: "e2", Account: "b", Amount: 20, Currency: "EUR", Kind: "credit"},
	}
	if err := s.InsertBatch(ctx, "b1", batch); err != nil {
		t.Fatal(err)
	}
	st, err := s.Statement(ctx, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if len(st["a"]) != 1 || len(st["b"]) != 1 {
		t.Fatalf("statement = %+v", st)
	}
	n, err := s.PurgeAccount(ctx, "a")
	if err != nil || n != 1 {
		t.Fatalf("purge = %d, %v", n, err)
	}
}

func TestCapturePayoutRejectsInvalid(t *testing.T) {
	s := openTestStore(t)
	if err := s.CapturePayout(context.Background(), Payout{ID: "p1", Merchant: "m1"}); err != ErrInvalidAmount {
		t.Fatalf("err = %v, want ErrInvalidAmount", err)
	}
}
