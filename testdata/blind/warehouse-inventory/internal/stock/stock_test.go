package stock

import (
	"errors"
	"sync"
	"testing"
)

func TestReserveAndRelease(t *testing.T) {
	w := NewWarehouse("AMS1")
	if err := w.Receive("SKU-1", 10); err != nil {
		t.Fatal(err)
	}
	w.Release("SKU-1", 3)
	if got := w.Available("SKU-1"); got != 10 {
		t.Fatalf("available = %d, want 10", got)
	}
	if err := w.Adjust("SKU-1", -4); err != nil {
		t.Fatal(err)
	}
	lvl, ok := w.Position("SKU-1")
	if !ok || lvl.OnHand != 6 {
		t.Fatalf("position = %+v, %v", lvl, ok)
	}
}

func TestTransferKeepsTotal(t *testing.T) {
	a, b := NewWarehouse("A"), NewWarehouse("B")
	if err := a.Receive("SKU-9", 5); err != nil {
		t.Fatal(err)
	}
	if err := Transfer(a, b, "SKU-9", 2); err != nil {
		t.Fatal(err)
	}
	if err := Transfer(b, a, "SKU-9", 7); !errors.Is(err, ErrInsufficient) {
		t.Fatalf("over-transfer: err = %v", err)
	}
	if got := a.Available("SKU-9") + b.Available("SKU-9"); got != 5 {
		t.Fatalf("total = %d, want 5", got)
	}
}

func TestConcurrentReceive(t *testing.T) {
	s := NewStore()
	w := s.Ensure("RTM2")
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.Receive("SKU-5", 1+i%2); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := s.Availability("SKU-5")["RTM2"]; got != 75 {
		t.Fatalf("available = %d, want 75", got)
	}
}
