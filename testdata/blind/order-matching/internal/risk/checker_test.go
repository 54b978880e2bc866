package risk

import (
	"errors"
	"testing"

	"example.com/matching/internal/book"
)

func TestOrderSizeLimit(t *testing.T) {
	c := NewChecker(Limits{MaxOrderQty: 100})
	err := c.Check(&book.Order{Account: "A1", Symbol: "ACME", Side: book.Buy, Price: 10, Qty: 500})
	if !errors.Is(err, ErrOrderSize) {
		t.Fatalf("err = %v, want ErrOrderSize", err)
	}
}

func TestPositionsFollowTrades(t *testing.T) {
	c := NewChecker(Limits{})
	c.OnTrade(book.Trade{Symbol: "ACME", Price: 10, Qty: 3, BuyAcct: "B", SellAcct: "S"})
	if p := c.account("B").Position("ACME"); p != 3 {
		t.Fatalf("buyer position = %d", p)
	}
	if p := c.account("S").Position("ACME"); p != -3 {
		t.Fatalf("seller position = %d", p)
	}
}

func TestRevalueAllReportsMissingMarks(t *testing.T) {
	c := NewChecker(Limits{})
	a := c.account("A")
	a.position["ACME"] = 5
	pnls, errs := c.RevalueAll(map[string]int64{})
	if len(pnls) != 0 || len(errs) != 1 {
		t.Fatalf("pnls=%v errs=%v", pnls, errs)
	}
}
