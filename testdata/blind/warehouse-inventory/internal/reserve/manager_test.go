package reserve

import (
	"testing"
	"time"

	"example.com/inventory/internal/stock"
)

func newTestStore(t *testing.T) *stock.Store {
	t.Helper()
	s := stock.NewStore()
	if err := s.Ensure("AMS1").Receive("SKU-1", 10); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHoldAndCancel(t *testing.T) {
	s := newTestStore(t)
	m := NewManager(s, time.Hour, nil)
	r, err := m.Hold("AMS1", "SKU-1", 4)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Availability("SKU-1")["AMS1"]; got != 6 {
		t.Fatalf("available after hold = %d, want 6", got)
	}
	if err := m.Cancel(r.ID); err != nil {
		t.Fatal(err)
	}
	if got := s.Availability("SKU-1")["AMS1"]; got != 10 {
		t.Fatalf("available after cancel = %d, want 10", got)
	}
}

func TestExpiryReleasesStock(t *testing.T) {
	s := newTestStore(t)
	m := NewManager(s, 10*time.Millisecond, nil)
	m.Start()
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Error(err)
		}
	})
	if _, err := m.Hold("AMS1", "SKU-1", 3); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if s.Availability("SKU-1")["AMS1"] == 10 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("hold was not released after expiry")
}
