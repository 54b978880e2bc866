package fraud

import (
	"context"
	"errors"
	"testing"
	"time"
)

type stubCheck struct {
	name string
	err  error
}

func (s stubCheck) Name() string                       { return s.name }
func (s stubCheck) Inspect(context.Context, Bid) error { return s.err }

func TestScreenJoinsViolations(t *testing.T) {
	checks := []Check{
		stubCheck{"a", &Violation{Check: "a", Reason: "first"}},
		stubCheck{"b", nil},
		stubCheck{"c", &Violation{Check: "c", Reason: "second"}},
	}
	err := Screen(context.Background(), Bid{Bidder: "x", Amount: 100}, checks)
	if !IsViolation(err) {
		t.Fatalf("want violation, got %v", err)
	}
	var v *Violation
	if !errors.As(err, &v) {
		t.Fatal("errors.As failed")
	}
}

func TestVelocityCheckAllowsSlowBidder(t *testing.T) {
	vc := NewVelocityCheck(time.Minute, 3)
	start := time.Now()
	for i := 0; i < 3; i++ {
		b := Bid{Bidder: "slow", At: start.Add(time.Duration(i) * 2 * time.Minute)}
		if err := vc.Inspect(context.Background(), b); err != nil {
			t.Fatalf("bid %d rejected: %v", i, err)
		}
	}
}

func TestScreenLimited(t *testing.T) {
	bids := make([]Bid, 10)
	errs := ScreenLimited(context.Background(), bids, []Check{stubCheck{"ok", nil}}, 3)
	for i, err := range errs {
		if err != nil {
			t.Errorf("bid %d: %v", i, err)
		}
	}
}
